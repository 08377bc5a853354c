import type { Community } from "../api.ts";
import { useShell } from "../context.ts";

/** The privacy level as a short label, with its plain explanation for a tooltip and readers. */
export function PrivacyBadge({ community }: { community: Community }) {
  const { t } = useShell();
  return (
    <span class="badge" title={t(`privacy.${community.privacy}.explain`)}>
      {t(`privacy.${community.privacy}.label`)}
      {community.hidden ? ` · ${t("privacy.hidden")}` : ""}
      {community.archived ? ` · ${t("privacy.archived")}` : ""}
    </span>
  );
}
