import type { Community, Page } from "../api.ts";
import { More, useMore, withCursor } from "../components/more.tsx";
import { PrivacyBadge } from "../components/privacy.tsx";
import { useShell } from "../context.ts";
import { formatNumber } from "../format.ts";
import type { LoadContext, ViewProps } from "./table.ts";

const myCommunitiesPath = "/me/communities?limit=50";

export const loadMyCommunities = ({ api, query }: LoadContext) =>
  api.get<Page<Community>>(withCursor(myCommunitiesPath, query.get("cursor")));

/** The communities the reader belongs to, with their role in each. */
export function MyCommunities({ data, query }: ViewProps<Page<Community>>) {
  const { t, locale } = useShell();
  const list = useMore(data, myCommunitiesPath);
  return (
    <>
      <h1>{t("mine.title")}</h1>
      {list.items.length === 0 ? (
        <p>
          {t("mine.empty")} <a href="/">{t("mine.browse")}</a>
        </p>
      ) : null}
      <ul class="cards">
        {list.items.map((community) => (
          <li key={community.id} class="card">
            <h2>
              <a href={`/c/${community.ref}`}>
                <bdi>{community.name}</bdi>
              </a>
            </h2>
            <p class="meta">
              <PrivacyBadge community={community} />{" "}
              {community.viewer ? t(`roles.${community.viewer.role}`) : null}
              {" · "}
              {t("community.members", {
                count: community.memberCount,
                formatted: formatNumber(locale, community.memberCount),
              })}
            </p>
          </li>
        ))}
      </ul>
      <More list={list} query={query} />
    </>
  );
}
