import type { Invitation, Page } from "../../api.ts";
import { ErrorMessage } from "../../components/error.tsx";
import { fieldsOf, usePublish } from "../../components/use-action.ts";
import { useShell } from "../../context.ts";
import { formatDateTime } from "../../format.ts";
import type { LoadContext, ViewProps } from "../table.ts";
import { BackToAdmin } from "./back.tsx";

export async function loadInvitations({ api }: LoadContext): Promise<Invitation[]> {
  return (await api.get<Page<Invitation>>("/admin/invitations?limit=100")).items;
}

/** Invitations to register here: those not used yet, and a form to send another. */
export function Invitations({ data }: ViewProps<Invitation[]>) {
  const { t, api, locale, timeZone } = useShell();
  const { busy, error, publish } = usePublish();
  return (
    <>
      <BackToAdmin />
      <h1>{t("instanceAdmin.invitations.title")}</h1>
      <form
        class="panel"
        onSubmit={(event) => {
          const { email } = fieldsOf(event);
          publish(event.currentTarget as HTMLFormElement, () =>
            api.post("/admin/invitations", { email }),
          );
        }}
      >
        <label for="invite-email">{t("instanceAdmin.invitations.email")}</label>
        <input id="invite-email" name="email" type="email" autoComplete="off" required />
        <button type="submit" disabled={busy}>
          {t("instanceAdmin.invitations.send")}
        </button>
        <ErrorMessage message={error} />
      </form>
      <h2>{t("instanceAdmin.invitations.waiting")}</h2>
      {data.length === 0 ? <p>{t("instanceAdmin.invitations.none")}</p> : null}
      <ul class="cards">
        {data.map((invitation) => (
          <li key={invitation.id} class="card">
            {invitation.email} ·{" "}
            <span class="meta">
              {t("instanceAdmin.invitations.expires", {
                date: formatDateTime(locale, invitation.expiresAt, timeZone),
              })}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}
