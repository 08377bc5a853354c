import { Fragment } from "preact";
import { useState } from "preact/hooks";
import type { Me } from "../api.ts";
import { ErrorMessage } from "../components/error.tsx";
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

/** Where to go after signing in: a path on this site only. */
const nextOf = (query: URLSearchParams) => {
  const next = query.get("next") ?? "/";
  return next.startsWith("/") && !next.startsWith("//") ? next : "/";
};

export function SignIn({ query }: ViewProps<unknown>) {
  const { t, api, setMe, navigate } = useShell();
  const { busy, error, run } = useAction();
  return (
    <form
      class="narrow"
      onSubmit={(event) => {
        const { login, password } = fieldsOf(event);
        void run(async () => {
          const session = await api.post<{ account: Me }>("/sessions", { login, password });
          setMe(session.account);
          navigate(nextOf(query));
        });
      }}
    >
      <h1>{t("account.signIn")}</h1>
      <label for="login">{t("account.login")}</label>
      <input id="login" name="login" autoComplete="username" required />
      <label for="password">{t("account.password")}</label>
      <input
        id="password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
      />
      <button type="submit" disabled={busy}>
        {t("account.signIn")}
      </button>
      <ErrorMessage message={error} />
      <p>
        <a href="/register">{t("account.noAccount")}</a>
      </p>
    </form>
  );
}

export function Register() {
  const { t, api, setMe, navigate, locale } = useShell();
  const { busy, error, run } = useAction();
  return (
    <form
      class="narrow"
      onSubmit={(event) => {
        const fields = fieldsOf(event);
        void run(async () => {
          await api.post("/accounts", { ...fields, locale });
          const session = await api.post<{ account: Me }>("/sessions", {
            login: fields.username,
            password: fields.password,
          });
          setMe(session.account);
          navigate("/");
        });
      }}
    >
      <h1>{t("account.register")}</h1>
      <label for="username">{t("account.username")}</label>
      <input id="username" name="username" autoComplete="username" required />
      <label for="displayName">{t("account.displayName")}</label>
      <input id="displayName" name="displayName" autoComplete="name" />
      <label for="email">{t("account.email")}</label>
      <input id="email" name="email" type="email" autoComplete="email" required />
      <label for="new-password">{t("account.password")}</label>
      <input
        id="new-password"
        name="password"
        type="password"
        autoComplete="new-password"
        minLength={10}
        required
      />
      <label for="profession">{t("account.profession")}</label>
      <input id="profession" name="profession" />
      <label for="organisation">{t("account.organisation")}</label>
      <input id="organisation" name="organisation" autoComplete="organization" />
      <label for="country">{t("account.country")}</label>
      <input id="country" name="country" autoComplete="country-name" />
      <button type="submit" disabled={busy}>
        {t("account.register")}
      </button>
      <ErrorMessage message={error} />
    </form>
  );
}

/**
 * Who the reader is to the communities they ask to join, and how Praxis speaks to them.
 * Its selects mark their option `selected`: Preact drops a select's defaultValue in the page.
 */
export function Settings({ query }: ViewProps<unknown>) {
  const { t, api, me, setMe, locale: shown } = useShell();
  const { busy, error, run } = useAction();
  // A change of language comes back through /lang, which reloads the page: the query says so.
  const [saved, setSaved] = useState(query.has("saved"));
  if (!me) return <p>{t("account.signInFirst")}</p>;
  return (
    <form
      class="narrow"
      onInput={() => setSaved(false)}
      onSubmit={(event) => {
        const changes = fieldsOf(event);
        void run(async () => {
          setMe(await api.patch<Me>("/me", changes));
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
          {(["each", "daily", "none"] as const).map((frequency) => (
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
