import type { Page, SearchHit } from "../api.ts";
import { More, useMore, withCursor } from "../components/more.tsx";
import { useShell } from "../context.ts";
import { formatDateTime, languageName } from "../format.ts";
import { defineScreen, type ViewProps } from "./table.ts";

const kinds = ["discussion", "announcement", "page", "event", "file", "comment", "community"];

interface Data {
  /** What was looked for, or null before anything was. */
  q: string | null;
  /** This page of hits, from the query's cursor on. */
  hits: Page<SearchHit>;
  /** The API search the pages after this one come from. */
  apiPath: string | null;
}

const noHits: Page<SearchHit> = { items: [], next: null };

function linkOf(hit: SearchHit): string {
  if (hit.kind === "community") return `/c/${hit.community}`;
  return `/posts/${hit.kind === "comment" ? hit.post : hit.id}`;
}

function Hit({ hit }: { hit: SearchHit }) {
  const { t, locale, timeZone } = useShell();
  return (
    <li class="card">
      <h2>
        <a href={linkOf(hit)}>
          <bdi>{hit.title}</bdi>
        </a>
      </h2>
      <p class="meta">
        {t(`search.kinds.${hit.kind}`)} · <bdi>{hit.community}</bdi> ·{" "}
        <time dateTime={hit.createdAt}>{formatDateTime(locale, hit.createdAt, timeZone)}</time>
        {hit.language ? (
          <>
            {" · "}
            <span lang={hit.language}>{languageName(locale, hit.language)}</span>
          </>
        ) : null}
      </p>
      <p dir="auto">{hit.excerpt}</p>
    </li>
  );
}

/** The content search: a plain GET form, so that it works without JavaScript too. */
function Search({ data, query }: ViewProps<Data>) {
  const { t } = useShell();
  const list = useMore(data.hits, data.apiPath);
  return (
    <>
      <h1>{t("search.title")}</h1>
      <search>
        <form method="get" action="/search">
          <p class="row">
            <label for="search-q">{t("search.words")}</label>
            <input
              id="search-q"
              name="q"
              type="search"
              required
              maxLength={200}
              defaultValue={data.q ?? ""}
            />
          </p>
          <p class="row">
            <label for="search-kind">{t("search.kind")}</label>
            <select id="search-kind" name="kind">
              <option value="">{t("search.anyKind")}</option>
              {kinds.map((kind) => (
                <option key={kind} value={kind} selected={query.get("kind") === kind}>
                  {t(`search.kinds.${kind}`)}
                </option>
              ))}
            </select>
            <button type="submit">{t("search.button")}</button>
          </p>
        </form>
      </search>
      {data.q !== null && list.items.length === 0 ? <p>{t("search.none", { q: data.q })}</p> : null}
      {list.items.length > 0 ? (
        <>
          <p class="meta" role="status">
            {t("search.found", { count: list.items.length })}
          </p>
          <ul class="cards">
            {list.items.map((hit) => (
              <Hit key={`${hit.kind}-${hit.id}`} hit={hit} />
            ))}
          </ul>
          <More list={list} query={query} label={t("search.more")} />
        </>
      ) : null}
    </>
  );
}

export const searchScreen = defineScreen<Data>({
  pattern: "/search",
  load: async ({ api, query }) => {
    const q = query.get("q")?.trim() ?? "";
    if (!q) return { q: null, hits: noHits, apiPath: null };
    const params = new URLSearchParams({ q, limit: "50" });
    const kind = query.get("kind");
    if (kind) params.set("kind", kind);
    const apiPath = `/search?${params}`;
    const hits = await api.get<Page<SearchHit>>(withCursor(apiPath, query.get("cursor")));
    return { q, hits, apiPath };
  },
  title: (t, data) => (data?.q ? t("search.titleFor", { q: data.q }) : t("search.title")),
  view: Search,
});
