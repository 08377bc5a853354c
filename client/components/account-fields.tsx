import type { Api, Me } from "../api.ts";
import { useShell } from "../context.ts";

/**
 * What every new account is made of: name, display name, address and password. `prefix` keeps
 * the ids apart when another form shares the page; `email` fills in an address already known.
 */
export function NewAccountFields({ prefix = "", email }: { prefix?: string; email?: string }) {
  const { t } = useShell();
  const id = (name: string) => `${prefix}${name}`;
  return (
    <>
      <label for={id("username")}>{t("account.username")}</label>
      <input id={id("username")} name="username" autoComplete="username" required />
      <label for={id("displayName")}>{t("account.displayName")}</label>
      <input id={id("displayName")} name="displayName" autoComplete="name" />
      <label for={id("email")}>{t("account.email")}</label>
      <input
        id={id("email")}
        name="email"
        type="email"
        autoComplete="email"
        defaultValue={email ?? ""}
        required
      />
      <label for={id("new-password")}>{t("account.password")}</label>
      <input
        id={id("new-password")}
        name="password"
        type="password"
        autoComplete="new-password"
        minLength={10}
        required
      />
    </>
  );
}

/** The password the reader has now, which changing or deleting their account asks for. */
export function CurrentPassword({ id, name = "password" }: { id: string; name?: string }) {
  const { t } = useShell();
  return (
    <>
      <label for={id}>{t("account.currentPassword")}</label>
      <input id={id} name={name} type="password" autoComplete="current-password" required />
    </>
  );
}

/** Makes the account from a form's fields (and anything `extra` adds), then signs it in. */
export async function registerAndSignIn(
  api: Api,
  fields: Record<string, string>,
  extra: Record<string, string>,
): Promise<Me> {
  await api.post("/accounts", { ...fields, ...extra });
  const session = await api.post<{ account: Me }>("/sessions", {
    login: fields.username,
    password: fields.password,
  });
  return session.account;
}
