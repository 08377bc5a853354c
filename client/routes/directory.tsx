import type { Community, Page } from "../api.ts";
import { PrivacyBadge } from "../components/privacy.tsx";
import { useShell } from "../context.ts";
import { formatNumber } from "../format.ts";
import { defineScreen, type ViewProps } from "./table.ts";

type Data = Page<Community>;

function Directory({ data, query }: ViewProps<Data>) {
  const { t, locale, me } = useShell();
  return (
    <>
      <h1>{t("directory.title")}</h1>
      <p>{t("directory.intro")}</p>
      <search>
        <form method="get" action="/" class="row">
          <label for="q">{t("directory.search")}</label>
          <input id="q" name="q" type="search" defaultValue={query.get("q") ?? ""} />
          <button type="submit">{t("directory.searchButton")}</button>
        </form>
      </search>
      <form method="get" action="/open" class="row">
        <label for="handle">{t("directory.openRemote")}</label>
        <input id="handle" name="handle" placeholder="@community@example.org" dir="ltr" />
        <button type="submit">{t("directory.open")}</button>
      </form>
      {me ? (
        <p>
          <a class="button" href="/new">
            {t("directory.create")}
          </a>
        </p>
      ) : null}
      {data.items.length === 0 ? <p>{t("directory.empty")}</p> : null}
      <ul class="cards">
        {data.items.map((community) => (
          <li key={community.id} class="card">
            <h2>
              <a href={`/c/${community.ref}`}>{community.name}</a>
            </h2>
            <p>{community.summary}</p>
            <p class="meta">
              <PrivacyBadge community={community} />{" "}
              {t("community.members", {
                count: community.memberCount,
                formatted: formatNumber(locale, community.memberCount),
              })}
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}

export const directoryScreen = defineScreen<Data>({
  pattern: "/",
  load: ({ api, query }) =>
    api.get(
      `/communities?limit=50${query.get("q") ? `&q=${encodeURIComponent(query.get("q") ?? "")}` : ""}`,
    ),
  title: (t) => t("directory.title"),
  description: (t) => t("directory.intro"),
  view: Directory,
});
