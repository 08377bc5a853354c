import type { Me, Page } from "../../api.ts";
import { useShell } from "../../context.ts";
import type { LoadContext, ViewProps } from "../table.ts";

interface OverviewData {
  pendingRegistrations: number;
}

export async function loadOverview({ api }: LoadContext): Promise<OverviewData> {
  // Also what refuses anyone but the instance administrator.
  const pending = await api.get<Page<Me>>("/admin/accounts?state=pending&limit=100");
  return { pendingRegistrations: pending.items.length };
}

/** Where the instance administrator's screens start: one link to each. */
export function Overview({ data }: ViewProps<OverviewData>) {
  const { t } = useShell();
  const links = [
    [
      "/admin/accounts?state=pending",
      t("instanceAdmin.registrations.link", { waiting: data.pendingRegistrations }),
    ],
    ["/admin/invitations", t("instanceAdmin.invitations.title")],
    ["/admin/reports", t("report.queue")],
    ["/admin/domain-blocks", t("instanceAdmin.domains.title")],
    ["/admin/instance", t("instanceAdmin.settings.title")],
    ["/admin/communities", t("instanceAdmin.communities.title")],
    ["/admin/audit", t("instanceAdmin.audit.title")],
    ["/admin/analytics", t("admin.analytics")],
  ] as const;
  return (
    <>
      <h1>{t("instanceAdmin.title")}</h1>
      <nav aria-label={t("instanceAdmin.title")}>
        <ul>
          {links.map(([href, label]) => (
            <li key={href}>
              <a href={href}>{label}</a>
            </li>
          ))}
        </ul>
      </nav>
    </>
  );
}
