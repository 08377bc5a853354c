import type { HostedCommunity, Page } from "../../api.ts";
import { useShell } from "../../context.ts";
import { formatDateTime, formatNumber } from "../../format.ts";
import type { LoadContext, ViewProps } from "../table.ts";
import { BackToAdmin } from "./back.tsx";

export async function loadCommunities({ api }: LoadContext): Promise<HostedCommunity[]> {
  return (await api.get<Page<HostedCommunity>>("/admin/communities?limit=100")).items;
}

/** Every community hosted here, hidden and archived ones included. */
export function HostedCommunities({ data }: ViewProps<HostedCommunity[]>) {
  const { t, locale, timeZone } = useShell();
  return (
    <>
      <BackToAdmin />
      <h1>{t("instanceAdmin.communities.title")}</h1>
      {data.length === 0 ? (
        <p>{t("instanceAdmin.communities.none")}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t("instanceAdmin.communities.name")}</th>
              <th scope="col">{t("instanceAdmin.communities.privacy")}</th>
              <th scope="col">{t("instanceAdmin.communities.members")}</th>
              <th scope="col">{t("instanceAdmin.communities.lastActivity")}</th>
            </tr>
          </thead>
          <tbody>
            {data.map((community) => (
              <tr key={community.ref}>
                <td>
                  <a href={`/c/${community.ref}`}>{community.name}</a>
                </td>
                <td>
                  {[
                    t(`privacy.${community.privacy}.label`),
                    community.hidden ? t("privacy.hidden") : null,
                    community.archived ? t("privacy.archived") : null,
                  ]
                    .filter(Boolean)
                    .join(" · ")}
                </td>
                <td>{formatNumber(locale, community.members)}</td>
                <td>
                  <time dateTime={community.lastActivityAt}>
                    {formatDateTime(locale, community.lastActivityAt, timeZone)}
                  </time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
