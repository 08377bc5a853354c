import type { Community } from "../api.ts";
import { useShell } from "../context.ts";
import { Confirm } from "./confirm.tsx";
import { ErrorMessage } from "./error.tsx";
import { fieldsOf, useAction } from "./use-action.ts";

/**
 * The two answers to a dormancy notice, for the community's admins (the notice and its mail
 * link here): reactivate it with the day new content is planned by, or archive it, through
 * the settings' own `archived`.
 */
export function DormancyActions({ community }: { community: Community }) {
  const { t, api, refresh } = useShell();
  const { busy, error, run } = useAction();
  const tomorrow = new Date(Date.now() + 24 * 3600_000).toISOString().slice(0, 10);
  return (
    <section class="notice" aria-labelledby="dormancy-title">
      <h2 id="dormancy-title">{t("health.title")}</h2>
      <p>{t("health.explain")}</p>
      <form
        id="reactivate"
        class="row"
        onSubmit={(event) => {
          const { planDate } = fieldsOf(event);
          void run(() => api.post(`/communities/${community.ref}/reactivate`, { planDate })).then(
            (done) => done && refresh(),
          );
        }}
      >
        <label for="plan-date">{t("health.planDate")}</label>
        <input id="plan-date" name="planDate" type="date" min={tomorrow} required />
        <button type="submit" disabled={busy}>
          {t("health.reactivate")}
        </button>
      </form>
      <ErrorMessage message={error} />
      <p id="archive">
        <Confirm
          label={t("health.archive")}
          question={t("health.confirmArchive", { name: community.name })}
          act={() => api.patch(`/communities/${community.ref}`, { archived: true })}
        />
      </p>
    </section>
  );
}
