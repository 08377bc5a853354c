import type { Me, Page } from "../../api.ts";
import { Confirm } from "../../components/confirm.tsx";
import { useShell } from "../../context.ts";
import { formatDateTime } from "../../format.ts";
import type { LoadContext, ViewProps } from "../table.ts";
import { BackToAdmin } from "./back.tsx";

/** The queue answers accounts in full, as their owners see them: the email included. */
type PendingAccount = Me;

export async function loadRegistrations({ api }: LoadContext): Promise<PendingAccount[]> {
  return (await api.get<Page<PendingAccount>>("/admin/accounts?state=pending&limit=100")).items;
}

/** Registrations waiting for the instance administrator, each approved or rejected after asking. */
export function Registrations({ data }: ViewProps<PendingAccount[]>) {
  const { t, api, locale, timeZone } = useShell();
  return (
    <>
      <BackToAdmin />
      <h1>{t("instanceAdmin.registrations.title")}</h1>
      {data.length === 0 ? <p>{t("instanceAdmin.registrations.none")}</p> : null}
      <ul class="cards">
        {data.map((account) => {
          const name = account.displayName || account.username;
          return (
            <li key={account.id} class="card">
              <p>
                <strong>{name}</strong> (@{account.username}) · {account.email}
              </p>
              <p class="meta">
                <time dateTime={account.createdAt}>
                  {formatDateTime(locale, account.createdAt, timeZone)}
                </time>
              </p>
              <div class="row">
                <Confirm
                  label={t("instanceAdmin.registrations.approve")}
                  question={t("instanceAdmin.registrations.approveQuestion", { name })}
                  act={() => api.post(`/admin/accounts/${account.id}/approve`)}
                />
                <Confirm
                  label={t("instanceAdmin.registrations.reject")}
                  question={t("instanceAdmin.registrations.rejectQuestion", { name })}
                  act={() => api.post(`/admin/accounts/${account.id}/reject`)}
                />
              </div>
            </li>
          );
        })}
      </ul>
    </>
  );
}
