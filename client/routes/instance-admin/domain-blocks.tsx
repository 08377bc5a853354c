import type { DomainBlocks as DomainBlocksData } from "../../api.ts";
import { Confirm } from "../../components/confirm.tsx";
import { ErrorMessage } from "../../components/error.tsx";
import { fieldsOf, usePublish } from "../../components/use-action.ts";
import { useShell } from "../../context.ts";
import { formatDateTime } from "../../format.ts";
import type { LoadContext, ViewProps } from "../table.ts";
import { BackToAdmin } from "./back.tsx";

export const loadDomainBlocks = ({ api }: LoadContext) =>
  api.get<DomainBlocksData>("/admin/domain-blocks");

/** The servers this one does not federate with, a form to block another, and the allowlist. */
export function DomainBlocks({ data }: ViewProps<DomainBlocksData>) {
  const { t, api, locale, timeZone } = useShell();
  const { busy, error, publish } = usePublish();
  return (
    <>
      <BackToAdmin />
      <h1>{t("instanceAdmin.domains.title")}</h1>
      <form
        class="panel"
        onSubmit={(event) => {
          const { domain, reason } = fieldsOf(event);
          publish(event.currentTarget as HTMLFormElement, () =>
            api.post("/admin/domain-blocks", reason ? { domain, reason } : { domain }),
          );
        }}
      >
        <label for="block-domain">{t("instanceAdmin.domains.domain")}</label>
        <input id="block-domain" name="domain" required dir="ltr" placeholder="spam.example" />
        <label for="block-reason">{t("instanceAdmin.domains.reason")}</label>
        <input id="block-reason" name="reason" maxLength={500} dir="auto" />
        <button type="submit" disabled={busy}>
          {t("instanceAdmin.domains.add")}
        </button>
        <ErrorMessage message={error} />
      </form>
      <h2>{t("instanceAdmin.domains.blocked")}</h2>
      {data.items.length === 0 ? <p>{t("instanceAdmin.domains.none")}</p> : null}
      <ul class="cards">
        {data.items.map((block) => (
          <li key={block.domain} class="card">
            <p>
              <strong dir="ltr">{block.domain}</strong>
              {block.reason ? <> · {block.reason}</> : null}
            </p>
            <p class="meta">
              <time dateTime={block.createdAt}>
                {formatDateTime(locale, block.createdAt, timeZone)}
              </time>
            </p>
            <Confirm
              label={t("instanceAdmin.domains.unblock")}
              question={t("instanceAdmin.domains.unblockQuestion", { domain: block.domain })}
              act={() => api.delete(`/admin/domain-blocks/${encodeURIComponent(block.domain)}`)}
            />
          </li>
        ))}
      </ul>
      <h2>{t("instanceAdmin.domains.allowlist")}</h2>
      {data.allowlist.length === 0 ? (
        <p>{t("instanceAdmin.domains.allowlistNone")}</p>
      ) : (
        <>
          <p>{t("instanceAdmin.domains.allowlistSome")}</p>
          <ul>
            {data.allowlist.map((host) => (
              <li key={host} dir="ltr">
                {host}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
