import type { Community, DirectoryFacets, Page } from "../api.ts";
import { ErrorMessage } from "../components/error.tsx";
import { More, useMore, withCursor } from "../components/more.tsx";
import { PrivacyBadge } from "../components/privacy.tsx";
import { useAction } from "../components/use-action.ts";
import { useShell } from "../context.ts";
import { formatNumber, languageName } from "../format.ts";
import type { Locale } from "../i18n.ts";
import { defineScreen, type ViewProps } from "./table.ts";

interface Data {
  page: Page<Community>;
  facets: DirectoryFacets;
}

/** What the directory is narrowed to; the same names in the page's address and in the API. */
const filterNames = ["q", "topic", "language", "country", "privacy", "activity"] as const;
const privacyLevels = ["open", "public", "semi_private", "private"] as const;

/** The API's list of the communities the address asks for, from its first page. */
function directoryPath(query: URLSearchParams): string {
  const params = new URLSearchParams({ limit: "50" });
  for (const name of filterNames) {
    const value = query.get(name);
    if (value) params.set(name, value);
  }
  return `/communities?${params}`;
}

function countryName(locale: Locale, code: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** The server a community lives on, when it is not this one (its ref ends in `@host`). */
const homeOf = (community: Community) => community.ref.split("@")[1] ?? null;

/**
 * Joining from the directory entry itself where the community takes people at once; asking
 * to join (with the conditions and a message) is on its page.
 */
function JoinControl({ community }: { community: Community }) {
  const { t, me, api, refresh } = useShell();
  const { busy, error, run } = useAction();
  const state = community.viewer?.state;
  if (state === "active") return <span class="meta">{t("join.member")}</span>;
  if (state === "pending") return <span class="meta">{t("join.pending")}</span>;
  if (community.archived || state === "banned" || state === "rejected") return null;
  if (!me) return <a href={`/signin?next=/c/${community.ref}`}>{t("join.signInToJoin")}</a>;
  if (community.privacy === "private" && state !== "invited") {
    return <span class="meta">{t("join.inviteOnly")}</span>;
  }
  if (community.privacy === "semi_private" && state !== "invited") {
    return <a href={`/c/${community.ref}`}>{t("directory.askToJoin")}</a>;
  }
  return (
    <span>
      <button
        type="button"
        disabled={busy}
        aria-label={t("directory.joinNamed", { name: community.name })}
        onClick={() => void run(() => api.post(`/communities/${community.ref}/join`)).then(refresh)}
      >
        {t("join.join")}
      </button>
      <ErrorMessage message={error} />
    </span>
  );
}

function Entry({ community }: { community: Community }) {
  const { t, locale } = useShell();
  const home = homeOf(community);
  const lastActivity = new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(
    new Date(community.lastActivityAt),
  );
  return (
    <li class="card">
      <h2>
        <a href={`/c/${community.ref}`} dir="auto">
          {community.name}
        </a>
      </h2>
      {home ? <p class="meta">{t("directory.elsewhere", { host: home })}</p> : null}
      <p dir="auto">{community.summary}</p>
      {community.topics.length > 0 ? (
        <p class="row">
          {community.topics.map((topic) => (
            <a key={topic} class="badge" href={`/?topic=${encodeURIComponent(topic)}`}>
              {topic}
            </a>
          ))}
        </p>
      ) : null}
      <p class="meta">
        <PrivacyBadge community={community} />{" "}
        {community.active ? null : <span class="badge">{t("directory.inactiveBadge")}</span>}{" "}
        {t("community.members", {
          count: community.memberCount,
          formatted: formatNumber(locale, community.memberCount),
        })}
        {" · "}
        {t("directory.lastActivity", { date: lastActivity })}
        {community.languages.length > 0
          ? ` · ${community.languages.map((tag) => languageName(locale, tag)).join(", ")}`
          : ""}
        {community.countries.length > 0
          ? ` · ${community.countries.map((code) => countryName(locale, code)).join(", ")}`
          : ""}
      </p>
      <JoinControl community={community} />
    </li>
  );
}

/** A filter as a list to choose from, with how many communities each choice shows. */
function Choice(props: {
  name: (typeof filterNames)[number];
  label: string;
  query: URLSearchParams;
  options: { value: string; label: string }[];
}) {
  const { t } = useShell();
  return (
    <p>
      <label for={`filter-${props.name}`}>{props.label}</label>
      <select id={`filter-${props.name}`} name={props.name}>
        <option value="">{t("directory.any")}</option>
        {props.options.map((option) => (
          <option
            key={option.value}
            value={option.value}
            selected={props.query.get(props.name) === option.value}
          >
            {option.label}
          </option>
        ))}
      </select>
    </p>
  );
}

function Filters({ facets, query }: { facets: DirectoryFacets; query: URLSearchParams }) {
  const { t, locale } = useShell();
  const counted = (label: string, count: number) => `${label} (${formatNumber(locale, count)})`;
  const filtered = filterNames.some((name) => query.get(name));
  return (
    <search>
      <form method="get" action="/">
        <p class="row">
          <label for="q">{t("directory.search")}</label>
          <input id="q" name="q" type="search" defaultValue={query.get("q") ?? ""} />
        </p>
        <fieldset>
          <legend>{t("directory.filters")}</legend>
          <Choice
            name="topic"
            label={t("directory.topic")}
            query={query}
            options={facets.topics.map(({ value, count }) => ({
              value,
              label: counted(value, count),
            }))}
          />
          <Choice
            name="language"
            label={t("directory.language")}
            query={query}
            options={facets.languages.map(({ value, count }) => ({
              value,
              label: counted(languageName(locale, value), count),
            }))}
          />
          <Choice
            name="country"
            label={t("directory.country")}
            query={query}
            options={facets.countries.map(({ value, count }) => ({
              value,
              label: counted(countryName(locale, value), count),
            }))}
          />
          <Choice
            name="privacy"
            label={t("directory.privacy")}
            query={query}
            options={privacyLevels.map((level) => ({
              value: level,
              label: t(`privacy.${level}.label`),
            }))}
          />
          <Choice
            name="activity"
            label={t("directory.activity")}
            query={query}
            options={[
              { value: "active", label: t("directory.active") },
              { value: "inactive", label: t("directory.inactive") },
            ]}
          />
        </fieldset>
        <p class="row">
          <button type="submit">{t("directory.searchButton")}</button>
          {filtered ? <a href="/">{t("directory.clear")}</a> : null}
        </p>
      </form>
    </search>
  );
}

function Directory({ data, query }: ViewProps<Data>) {
  const { t, me } = useShell();
  const { page, facets } = data;
  const filtered = filterNames.some((name) => query.get(name));
  const list = useMore(page, directoryPath(query));
  return (
    <>
      <h1>{t("directory.title")}</h1>
      <p>{t("directory.intro")}</p>
      <Filters facets={facets} query={query} />
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
      {list.items.length === 0 ? (
        <p>{t(filtered ? "directory.noMatch" : "directory.empty")}</p>
      ) : null}
      <ul class="cards">
        {list.items.map((community) => (
          <Entry key={community.id} community={community} />
        ))}
      </ul>
      <More list={list} query={query} label={t("directory.more")} />
    </>
  );
}

export const directoryScreen = defineScreen<Data>({
  pattern: "/",
  load: async ({ api, query }) => {
    const [page, facets] = await Promise.all([
      api.get<Page<Community>>(withCursor(directoryPath(query), query.get("cursor"))),
      api.get<DirectoryFacets>("/directory/filters"),
    ]);
    return { page, facets };
  },
  title: (t) => t("directory.title"),
  description: (t) => t("directory.intro"),
  view: Directory,
});
