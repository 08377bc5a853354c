import { useState } from "preact/hooks";
import type { Instance } from "../../api.ts";
import { ErrorMessage } from "../../components/error.tsx";
import { fieldsOf, useAction } from "../../components/use-action.ts";
import { useShell } from "../../context.ts";
import type { ViewProps } from "../table.ts";
import { BackToAdmin } from "./back.tsx";

const modes = ["open", "approval", "invite"] as const;

/** The instance's name, description, rules (one a line) and registration mode. */
export function InstanceSettingsForm({ data }: ViewProps<Instance>) {
  const { t, api, refresh } = useShell();
  const { busy, error, run } = useAction();
  const [saved, setSaved] = useState(false);
  return (
    <>
      <BackToAdmin />
      <form
        class="narrow"
        onSubmit={(event) => {
          const { name, description, rules, registrationMode } = fieldsOf(event);
          setSaved(false);
          const changes = {
            name,
            description,
            rules: (rules ?? "")
              .split("\n")
              .map((rule) => rule.trim())
              .filter(Boolean),
            registrationMode,
          };
          void run(() => api.patch("/admin/instance", changes)).then((done) => {
            setSaved(done);
            if (done) refresh();
          });
        }}
      >
        <h1>{t("instanceAdmin.settings.title")}</h1>
        <label for="instance-name">{t("instanceAdmin.settings.name")}</label>
        <input id="instance-name" name="name" defaultValue={data.name} maxLength={100} dir="auto" />
        <label for="instance-description">{t("instanceAdmin.settings.description")}</label>
        <textarea
          id="instance-description"
          name="description"
          rows={3}
          maxLength={2000}
          dir="auto"
          defaultValue={data.description}
        />
        <label for="instance-rules">{t("instanceAdmin.settings.rules")}</label>
        <textarea
          id="instance-rules"
          name="rules"
          rows={6}
          dir="auto"
          defaultValue={data.rules.join("\n")}
        />
        <label for="instance-mode">{t("instanceAdmin.settings.registrationMode")}</label>
        <select id="instance-mode" name="registrationMode" defaultValue={data.registrationMode}>
          {modes.map((mode) => (
            <option key={mode} value={mode}>
              {t(`instanceAdmin.settings.modes.${mode}`)}
            </option>
          ))}
        </select>
        <button type="submit" disabled={busy}>
          {t("instanceAdmin.settings.save")}
        </button>
        {saved ? <p role="status">{t("instanceAdmin.settings.saved")}</p> : null}
        <ErrorMessage message={error} />
      </form>
    </>
  );
}
