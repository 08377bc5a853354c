import { useState } from "preact/hooks";
import { ErrorMessage } from "../components/error.tsx";
import { fieldsOf, useAction } from "../components/use-action.ts";
import { useShell } from "../context.ts";
import type { ViewProps } from "./table.ts";

/**
 * Asks for a reset link; the answer is the same whether the address has an account or not.
 * Without scripts the form posts to the server (server/pages/account-forms.ts), which comes
 * back here with `?sent=1`.
 */
export function ForgotPassword({ query }: ViewProps<unknown>) {
  const { t, api } = useShell();
  const { busy, error, run } = useAction();
  const [sent, setSent] = useState(query.get("sent") === "1");
  return (
    <form
      class="narrow"
      method="post"
      action="/forgot-password"
      onSubmit={(event) => {
        const { email } = fieldsOf(event);
        void run(async () => {
          await api.post("/password-resets", { email });
          setSent(true);
        });
      }}
    >
      <h1>{t("account.forgotTitle")}</h1>
      <p class="hint">{t("account.forgotHint")}</p>
      <label for="email">{t("account.email")}</label>
      <input id="email" name="email" type="email" autoComplete="email" required />
      <button type="submit" disabled={busy}>
        {t("account.sendLink")}
      </button>
      {sent ? (
        <p class="notice" role="status">
          {t("account.resetSent")}
        </p>
      ) : null}
      <ErrorMessage message={error} />
    </form>
  );
}
