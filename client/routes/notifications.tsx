import type { Notification } from "../api.ts";
import { useAction } from "../components/use-action.ts";
import { useShell } from "../context.ts";
import { formatDateTime } from "../format.ts";
import type { ViewProps } from "./table.ts";

export interface NotificationsData {
  items: Notification[];
}

function linkOf(notification: Notification): string | null {
  if (notification.kind === "join_request") return `/c/${notification.data.community}/requests`;
  if (notification.subject && ["announcement", "reply", "event_soon"].includes(notification.kind)) {
    return `/posts/${notification.subject}`;
  }
  return notification.data.community ? `/c/${notification.data.community}` : null;
}

export function Notifications({ data }: ViewProps<NotificationsData>) {
  const { t, api, refresh, locale, timeZone } = useShell();
  const { busy, run } = useAction();
  return (
    <>
      <h1>{t("notifications.title")}</h1>
      <p>
        <button
          type="button"
          disabled={busy}
          onClick={() => void run(() => api.post("/notifications/read")).then(refresh)}
        >
          {t("notifications.markRead")}
        </button>
      </p>
      {data.items.length === 0 ? <p>{t("notifications.empty")}</p> : null}
      <ul class="cards">
        {data.items.map((notification) => {
          const link = linkOf(notification);
          const text = t(`notifications.kinds.${notification.kind}`, notification.data);
          return (
            <li key={notification.id} class={notification.read ? "card" : "card unread"}>
              {link ? <a href={link}>{text}</a> : text}
              <p class="meta">{formatDateTime(locale, notification.createdAt, timeZone)}</p>
            </li>
          );
        })}
      </ul>
    </>
  );
}
