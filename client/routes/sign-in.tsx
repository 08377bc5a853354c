import type { Instance, Me } from "../api.ts";
import { NewAccountFields, registerAndSignIn } from "../components/account-fields.tsx";
import { ErrorMessage } from "../components/error.tsx";
import { fieldsOf, useAction } from "../components/use-action.ts";
import { useShell } from "../context.ts";
import type { ViewProps } from "./table.ts";

/*
 * Signing in and creating an account: rendered on the server and posted as plain forms when
 * scripts do not run (server/pages/account-forms.ts), sent through the API when they do.
 */

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
      method="post"
      action="/signin"
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
      <input type="hidden" name="next" value={nextOf(query)} />
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
        <a href="/forgot-password">{t("account.forgotPassword")}</a>
      </p>
      <p>
        <a href="/register">{t("account.noAccount")}</a>
      </p>
    </form>
  );
}

export function Register({ data }: ViewProps<Instance | undefined>) {
  const { t, api, setMe, navigate, locale } = useShell();
  const { busy, error, run } = useAction();
  return (
    <form
      class="narrow"
      method="post"
      action="/register"
      onSubmit={(event) => {
        const fields = fieldsOf(event);
        void run(async () => {
          setMe(await registerAndSignIn(api, fields, { locale }));
          navigate("/");
        });
      }}
    >
      <h1>{t("account.register")}</h1>
      {data?.rules.length ? (
        <section aria-labelledby="instance-rules">
          <h2 id="instance-rules">{t("instance.rules", { name: data.name })}</h2>
          <ol>
            {data.rules.map((rule) => (
              <li key={rule} dir="auto">
                {rule}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      <NewAccountFields />
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
