import type { TFunction } from "i18next";
import { useEffect, useState } from "preact/hooks";
import type { InvitationPreview } from "../api.ts";
import { NewAccountFields, registerAndSignIn } from "../components/account-fields.tsx";
import { ErrorMessage } from "../components/error.tsx";
import { fieldsOf, useAction } from "../components/use-action.ts";
import { useShell } from "../context.ts";
import { defineScreen, type ViewProps } from "./table.ts";

interface Data {
  token: string;
  invitation: InvitationPreview;
}

/** Where the invitation leads once accepted: its community, or the directory of the instance. */
const destinationOf = (invitation: InvitationPreview) =>
  invitation.community ? `/c/${invitation.community}` : "/";

const headingOf = (t: TFunction, invitation: InvitationPreview) =>
  invitation.communityName
    ? t("invitation.title", { community: invitation.communityName })
    : t("invitation.titleInstance");

/** Whether the page's scripts run: forms that only work through them are shown only then. */
function useScriptsRunning(): boolean {
  const [running, setRunning] = useState(false);
  useEffect(() => setRunning(true), []);
  return running;
}

function AcceptInvitation({ token, invitation }: Data) {
  const { t, api, navigate } = useShell();
  const { busy, error, run } = useAction();
  if (!invitation.communityName) {
    return (
      <p>
        <a href="/">{t("nav.directory")}</a>
      </p>
    );
  }
  return (
    <p>
      <button
        type="button"
        disabled={busy}
        onClick={() =>
          void run(async () => {
            await api.post(`/invitations/${encodeURIComponent(token)}/accept`);
            navigate(destinationOf(invitation));
          })
        }
      >
        {t("invitation.join", { community: invitation.communityName })}
      </button>
      <ErrorMessage message={error} />
    </p>
  );
}

/** A new account made with the invitation's token, which also makes it a member at once. */
function RegisterWithInvitation({ token, invitation }: Data) {
  const { t, api, locale, setMe, navigate } = useShell();
  const { busy, error, run } = useAction();
  return (
    <form
      class="panel"
      method="post"
      onSubmit={(event) => {
        const fields = fieldsOf(event);
        void run(async () => {
          setMe(await registerAndSignIn(api, fields, { locale, invitation: token }));
          navigate(destinationOf(invitation));
        });
      }}
    >
      <h2>{t("invitation.registerTitle")}</h2>
      <NewAccountFields prefix="invitation-" email={invitation.email ?? ""} />
      <button type="submit" disabled={busy}>
        {t(invitation.communityName ? "invitation.registerAndJoin" : "invitation.register")}
      </button>
      <ErrorMessage message={error} />
    </form>
  );
}

/**
 * The page an invitation e-mail links to: what it invites to and who sent it, then, for the
 * signed-in, a button to join, and for others, signing in or an account made with the link.
 * A link that expired, was used or never existed is refused by the API in the reader's words.
 */
function InvitationScreen({ data }: ViewProps<Data>) {
  const { t, me } = useShell();
  const scripts = useScriptsRunning();
  const { token, invitation } = data;
  const inviter = invitation.invitedBy.displayName || invitation.invitedBy.username;
  return (
    <section class="narrow">
      <h1 dir="auto">{headingOf(t, invitation)}</h1>
      <p dir="auto">{t("invitation.invitedBy", { inviter })}</p>
      {me ? (
        <AcceptInvitation token={token} invitation={invitation} />
      ) : (
        <>
          <p>
            {t("invitation.haveAccount")}{" "}
            <a href={`/signin?next=/invitations/${token}`}>{t("invitation.signIn")}</a>
          </p>
          {scripts ? <RegisterWithInvitation token={token} invitation={invitation} /> : null}
        </>
      )}
    </section>
  );
}

export const invitationScreen = defineScreen<Data>({
  pattern: "/invitations/:token",
  load: async ({ api, params }) => {
    const token = params.token ?? "";
    const invitation = await api.get<InvitationPreview>(
      `/invitations/${encodeURIComponent(token)}`,
    );
    return { token, invitation };
  },
  title: (t, data) => headingOf(t, data.invitation),
  description: (t, data) => {
    const { displayName, username } = data.invitation.invitedBy;
    return t("invitation.invitedBy", { inviter: displayName || username });
  },
  view: InvitationScreen,
});
