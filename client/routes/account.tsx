import { Fragment } from "preact";
import { useState } from "preact/hooks";
import type { EmailAddresses, Me } from "../api.ts";
import { AboutFields, withAboutChanges } from "../components/about-fields.tsx";
import { CurrentPassword } from "../components/account-fields.tsx";
import { ErrorMessage } from "../components/error.tsx";
import { ImageUpload } from "../components/image-upload.tsx";
import { fieldsOf, useAction } from "../components/use-action.ts";
import { useShell } from "../context.ts";
import { languageNames, locales } from "../i18n.ts";
import type { ViewProps } from "./table.ts";

const savedPath = "/settings?saved=1";

/** What community admins see of someone who asks to join, with the API's length limits. */
const profileFields = [
  { name: "displayName", maxLength: 100, autoComplete: "name" },
  { name: "profession", maxLength: 200, autoComplete: undefined },
  { name: "organisation", maxLength: 200, autoComplete: "organization" },
  { name: "country", maxLength: 100, autoComplete: "country-name" },
] as const;

/** The reader's own account: their profile and preferences, password, address, and its end. */
export function Settings({ query, data }: ViewProps<EmailAddresses | null>) {
  const { t, me } = useShell();
  if (!me) return <p>{t("account.signInFirst")}</p>;
  return (
    <>
      <ProfileForm query={query} />
      <ImageUpload
        id="avatar"
        action="/settings/avatar"
        current={me.avatarUrls?.["256"] ?? null}
        labels={{
          title: t("images.avatar"),
          hint: t("images.avatarHint"),
          shown: t("images.avatarShown"),
        }}
        box={{ class: "avatar large", width: 80, height: 80 }}
      />
      <PasswordChange query={query} />
      <EmailChange waiting={data?.pending ?? null} />
      <AccountDeletion query={query} />
    </>
  );
}

/**
 * Who the reader is to the communities they ask to join, and how Praxis speaks to them.
 * Its selects mark their option `selected`: Preact drops a select's defaultValue in the page.
 */
function ProfileForm({ query }: { query: URLSearchParams }) {
  const { t, api, me, setMe, locale: shown } = useShell();
  const { busy, error, run } = useAction();
  // A change of language comes back through /lang, which reloads the page: the query says so.
  const [saved, setSaved] = useState(query.has("saved"));
  if (!me) return null;
  return (
    <form
      class="narrow"
      method="post"
      action="/settings"
      onInput={() => setSaved(false)}
      onSubmit={(event) => {
        const changes = fieldsOf(event);
        void run(async () => {
          setMe(await api.patch<Me>("/me", withAboutChanges(changes)));
          if (changes.locale === shown) setSaved(true);
          // Pages are rendered in the chosen language from now on, on this device too.
          else location.assign(`/lang?to=${changes.locale}&next=${encodeURIComponent(savedPath)}`);
        });
      }}
    >
      <h1>{t("account.settings")}</h1>
      <fieldset>
        <legend>{t("account.profile")}</legend>
        <p class="hint">{t("account.profileHint")}</p>
        {profileFields.map(({ name, maxLength, autoComplete }) => (
          <Fragment key={name}>
            <label for={name}>{t(`account.${name}`)}</label>
            <input
              id={name}
              name={name}
              autoComplete={autoComplete}
              maxLength={maxLength}
              defaultValue={me[name]}
            />
          </Fragment>
        ))}
        <label for="profileAudience">{t("account.profileAudience")}</label>
        <select id="profileAudience" name="profileAudience">
          {(["everyone", "members", "admins"] as const).map((audience) => (
            <option key={audience} value={audience} selected={audience === me.profileAudience}>
              {t(`account.profileAudiences.${audience}`)}
            </option>
          ))}
        </select>
        <AboutFields me={me} />
      </fieldset>
      <fieldset>
        <legend>{t("account.preferences")}</legend>
        <label for="locale">{t("account.language")}</label>
        <select id="locale" name="locale">
          {locales.map((code) => (
            <option key={code} value={code} lang={code} selected={code === me.locale}>
              {languageNames[code]}
            </option>
          ))}
        </select>
        <label for="emailNotifications">{t("account.mail")}</label>
        <select id="emailNotifications" name="emailNotifications">
          {(["each", "daily", "weekly", "none"] as const).map((frequency) => (
            <option
              key={frequency}
              value={frequency}
              selected={frequency === me.emailNotifications}
            >
              {t(`account.mailFrequency.${frequency}`)}
            </option>
          ))}
        </select>
      </fieldset>
      <button type="submit" disabled={busy}>
        {t("account.save")}
      </button>
      {saved ? (
        <p class="notice" role="status">
          {t("account.saved")}
        </p>
      ) : null}
      <ErrorMessage message={error} />
    </form>
  );
}

/**
 * A new password; this device stays signed in, every other one is signed out. Without
 * scripts the server answers the post with `?changed=password`.
 */
function PasswordChange({ query }: { query: URLSearchParams }) {
  const { t, api, me } = useShell();
  const { busy, error, run } = useAction();
  const [done, setDone] = useState(query.get("changed") === "password");
  return (
    <form
      class="narrow"
      method="post"
      action="/settings/password"
      onInput={() => setDone(false)}
      onSubmit={(event) => {
        const form = event.currentTarget as HTMLFormElement;
        const { current, password } = fieldsOf(event);
        void run(async () => {
          await api.put("/me/password", { current, password });
          form.reset();
          setDone(true);
        });
      }}
    >
      <h2>{t("account.changePassword")}</h2>
      <input type="hidden" name="username" autoComplete="username" value={me?.username} />
      <CurrentPassword id="current-password" name="current" />
      <label for="changed-password">{t("account.newPassword")}</label>
      <input
        id="changed-password"
        name="password"
        type="password"
        autoComplete="new-password"
        minLength={10}
        required
      />
      <button type="submit" disabled={busy}>
        {t("account.changePassword")}
      </button>
      {done ? (
        <p class="notice" role="status">
          {t("account.passwordChanged")}
        </p>
      ) : null}
      <ErrorMessage message={error} />
    </form>
  );
}

/**
 * A new address, which takes effect once the link mailed to it is opened; until then the
 * screen shows the address waiting (`waiting`, from the account), with scripts or without.
 */
function EmailChange({ waiting }: { waiting: string | null }) {
  const { t, api, me } = useShell();
  const { busy, error, run } = useAction();
  const [pending, setPending] = useState(waiting);
  return (
    <form
      class="narrow"
      method="post"
      action="/settings/email"
      onSubmit={(event) => {
        const form = event.currentTarget as HTMLFormElement;
        const { email, password } = fieldsOf(event);
        void run(async () => {
          await api.post("/me/email", { email, password });
          form.reset();
          setPending(email ?? "");
        });
      }}
    >
      <h2>{t("account.changeEmail")}</h2>
      <p class="hint">{t("account.currentEmail", { email: me?.email })}</p>
      <label for="new-email">{t("account.newEmail")}</label>
      <input id="new-email" name="email" type="email" autoComplete="email" required />
      <CurrentPassword id="email-password" />
      <button type="submit" disabled={busy}>
        {t("account.changeEmail")}
      </button>
      {pending ? (
        <p class="notice" role="status">
          {t("account.emailPending", { email: pending })}
        </p>
      ) : null}
      <ErrorMessage message={error} />
    </form>
  );
}

/**
 * Deleting the account takes two steps: the first only shows what the second will do, and
 * the second asks for the password. The first step is a link to `?delete=1`, so that
 * it works without scripts too.
 */
function AccountDeletion({ query }: { query: URLSearchParams }) {
  const { t, api, setMe, navigate } = useShell();
  const { busy, error, run } = useAction();
  const confirming = query.has("delete");
  return (
    <form
      id="delete-account"
      class="narrow"
      method="post"
      action="/settings/delete"
      onSubmit={(event) => {
        const { password, content } = fieldsOf(event);
        void run(async () => {
          await api.delete("/me", { password, content });
          setMe(null);
          navigate("/");
        });
      }}
    >
      <h2>{t("account.deleteAccount")}</h2>
      <p class="hint">{t("account.deleteHint")}</p>
      {confirming ? (
        <>
          <fieldset>
            <legend>{t("account.deleteContent")}</legend>
            {(["anonymise", "delete"] as const).map((choice) => (
              <label key={choice}>
                <input
                  type="radio"
                  name="content"
                  value={choice}
                  required
                  defaultChecked={choice === "anonymise"}
                />{" "}
                {t(`account.deleteChoice.${choice}`)}
              </label>
            ))}
          </fieldset>
          <CurrentPassword id="delete-password" />
          <button type="submit" disabled={busy}>
            {t("account.deleteConfirm")}
          </button>{" "}
          <a class="button" href="/settings">
            {t("account.cancel")}
          </a>
        </>
      ) : (
        <a class="button" href="/settings?delete=1#delete-account">
          {t("account.deleteStart")}
        </a>
      )}
      <ErrorMessage message={error} />
    </form>
  );
}
