import { useShell } from "../../context.ts";

/** Every administration screen leads back to the overview. */
export function BackToAdmin() {
  const { t } = useShell();
  return (
    <p>
      <a href="/admin">← {t("instanceAdmin.title")}</a>
    </p>
  );
}
