import type { Notification, Page } from "../api.ts";
import { ErrorMessage } from "../components/error.tsx";
import { More, useMore, withCursor } from "../components/more.tsx";
import { useAction } from "../components/use-action.ts";
import { useShell } from "../context.ts";
import { formatDateTime } from "../format.ts";
import type { LoadContext, ViewProps } from "./table.ts";

const notificationsPath = "/notifications?limit=50";

export const loadNotifications = ({ api, query }: LoadContext) =>
  api.get<Page<Notification>>(withCursor(notificationsPath, query.get("cursor")));

/** Who did it and where, as far as the notification knows. */
function Origin({ notification }: { notification: Notification }) {
  const { t, locale, timeZone } = useShell();
  const { actor, place } = notification;
  return (
    <p class="meta">
      {actor ? (
        <>
          {t("notifications.from")} <bdi>{actor.displayName || actor.username}</bdi> ·{" "}
        </>
      ) : null}
      {place ? (
        <>
          {t("notifications.in")} <bdi>{place.name}</bdi> ·{" "}
        </>
      ) : null}
      <time dateTime={notification.createdAt}>
        {formatDateTime(locale, notification.createdAt, timeZone)}
      </time>
    </p>
  );
}

export function Notifications({ data, query }: ViewProps<Page<Notification>>) {
  const { t, api, refresh } = useShell();
  const { busy, error, run } = useAction();
  const list = useMore(data, notificationsPath);
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
        <ErrorMessage message={error} />
      </p>
      {list.items.length === 0 ? <p>{t("notifications.empty")}</p> : null}
      <ul class="cards">
        {list.items.map((notification) => {
          const text = t(`notifications.kinds.${notification.kind}`, {
            ...notification.data,
            community: notification.place?.name ?? notification.data.community,
          });
          return (
            <li key={notification.id} class={notification.read ? "card" : "card unread"}>
              {/* Through the API, which marks it read, on to what it is about. */}
              {notification.target ? (
                <a href={`/api/v1/notifications/${notification.id}/open`}>{text}</a>
              ) : (
                text
              )}
              {notification.read ? null : (
                <>
                  {" "}
                  <span class="badge">{t("notifications.unread")}</span>
                </>
              )}
              <Origin notification={notification} />
            </li>
          );
        })}
      </ul>
      <More list={list} query={query} />
    </>
  );
}
