import type { AuditEntry, Page } from "../../api.ts";
import { AuditLog } from "../../components/audit-log.tsx";
import { useShell } from "../../context.ts";
import type { LoadContext, ViewProps } from "../table.ts";
import { BackToAdmin } from "./back.tsx";

export async function loadInstanceAudit({ api, query }: LoadContext): Promise<Page<AuditEntry>> {
  const cursor = query.get("cursor");
  const after = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
  return api.get<Page<AuditEntry>>(`/admin/audit?limit=50${after}`);
}

/** The instance administrator's decisions that concern no community, a page at a time. */
export function InstanceAudit({ data }: ViewProps<Page<AuditEntry>>) {
  const { t } = useShell();
  return (
    <>
      <BackToAdmin />
      <h1>{t("instanceAdmin.audit.title")}</h1>
      {data.items.length === 0 ? (
        <p>{t("instanceAdmin.audit.none")}</p>
      ) : (
        <AuditLog entries={data.items} heading={t("instanceAdmin.audit.decisions")} />
      )}
      {data.next ? (
        <p>
          <a href={`/admin/audit?cursor=${encodeURIComponent(data.next)}`}>
            {t("instanceAdmin.audit.older")}
          </a>
        </p>
      ) : null}
    </>
  );
}
