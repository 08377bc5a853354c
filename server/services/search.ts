import { and, asc, desc, eq, gte, inArray, isNull, type SQL, sql } from "drizzle-orm";
import type { Account } from "../../db/schema/accounts.ts";
import { communities } from "../../db/schema/communities.ts";
import { fileDetails } from "../../db/schema/files.ts";
import { comments, type PostKind, posts } from "../../db/schema/posts.ts";
import { postTranslations } from "../../db/schema/translations.ts";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import type { Page } from "../pagination.ts";
import { parseRef } from "./communities.ts";
import { communityNamed } from "./names.ts";
import { communitiesVisibleTo, postsReadableBy } from "./privacy.ts";

export type SearchKind = PostKind | "comment" | "community";

export interface SearchQuery {
  q: string;
  kind?: SearchKind | undefined;
  community?: string | undefined;
  language?: string | undefined;
  since?: Date | undefined;
  limit: number;
  /** Where the previous page ended, as its `next` said. */
  cursor?: string | undefined;
}

export interface SearchHit {
  kind: SearchKind;
  id: string;
  community: string;
  title: string;
  excerpt: string;
  language: string | null;
  post: string | null;
  rank: number;
  createdAt: Date;
}

/**
 * The words of a query in every search configuration: a text's own language decides
 * how it was indexed, and the query's language is not known.
 */
function queryFor(q: string): SQL {
  return sql`(websearch_to_tsquery('praxis_en', ${q}) || websearch_to_tsquery('praxis_fr', ${q}) ||
    websearch_to_tsquery('praxis_es', ${q}) || websearch_to_tsquery('praxis_pt', ${q}) ||
    websearch_to_tsquery('praxis_simple', ${q}))`;
}

/**
 * How far down the results pages go: every page ranks all the hits above it again, so the
 * cost grows with depth. Nobody reads past the hundreds; a narrower query finds it sooner.
 */
export const deepestSearchHit = 500;

/**
 * A page of results starts after the hits the pages before it showed. Hits are ordered by
 * rank, not by a column a cursor could point into, so the cursor is how many came before.
 */
const cursorAfter = (shown: number) =>
  Buffer.from(JSON.stringify({ after: shown })).toString("base64url");

function hitsBefore(cursor: string | undefined): number {
  if (!cursor) return 0;
  try {
    const { after } = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Number.isInteger(after) && after >= 0 && after < deepestSearchHit) return after;
  } catch {
    // Not a cursor this server wrote: refused below like any other.
  }
  throw new DomainError("invalid_input", { field: "cursor" });
}

/** Full-text search over everything the viewer may see, best match first, a page at a time. */
export async function search(
  deps: Deps,
  viewer: Account | null,
  query: SearchQuery,
): Promise<Page<SearchHit>> {
  const skipped = hitsBefore(query.cursor);
  // Each kind's best hits down to this page's end, and one more to tell whether pages go on.
  const reach = skipped + query.limit + 1;
  const tsquery = queryFor(query.q);
  const ref = query.community ? parseRef(deps, query.community) : undefined;
  const inCommunity = ref ? communityNamed(ref.slug, ref.domain) : undefined;
  const wants = (kind: SearchKind) => !query.kind || query.kind === kind;
  const postKinds = (["discussion", "announcement", "page", "event", "file"] as const).filter(
    wants,
  );
  const searches: Promise<SearchHit[]>[] = [];

  const postHit = {
    kind: posts.kind,
    id: posts.id,
    community: communities.slug,
    title: posts.title,
    excerpt: sql<string>`left(${posts.source}, 200)`,
    language: posts.language,
    post: sql<string | null>`null`,
    createdAt: posts.createdAt,
  };
  /** What every post found must be, whichever of its versions matched. */
  const readablePosts = [
    isNull(posts.deletedAt),
    postsReadableBy(viewer),
    inCommunity,
    query.since ? gte(posts.createdAt, query.since) : undefined,
  ];
  const postConditions = [
    ...readablePosts,
    query.language ? eq(posts.language, query.language) : undefined,
  ];
  if (postKinds.length > 0) {
    const rank = sql<number>`ts_rank(${posts.search}, ${tsquery})`;
    searches.push(
      deps.db
        .select({ ...postHit, rank })
        .from(posts)
        .innerJoin(communities, eq(communities.id, posts.communityId))
        .where(
          and(
            sql`${posts.search} @@ ${tsquery}`,
            inArray(posts.kind, postKinds),
            ...postConditions,
          ),
        )
        .orderBy(desc(rank), asc(posts.id))
        .limit(reach),
    );
  }
  // A post is found by the words of its translations too, as the post itself.
  if (postKinds.length > 0) {
    const rank = sql<number>`ts_rank(${postTranslations.search}, ${tsquery})`;
    searches.push(
      deps.db
        .select({
          ...postHit,
          title: postTranslations.title,
          excerpt: sql<string>`left(${postTranslations.source}, 200)`,
          language: postTranslations.language,
          rank,
        })
        .from(postTranslations)
        .innerJoin(posts, eq(posts.id, postTranslations.postId))
        .innerJoin(communities, eq(communities.id, posts.communityId))
        .where(
          and(
            sql`${postTranslations.search} @@ ${tsquery}`,
            inArray(posts.kind, postKinds),
            ...readablePosts,
            query.language ? eq(postTranslations.language, query.language) : undefined,
          ),
        )
        .orderBy(desc(rank), asc(posts.id))
        .limit(reach),
    );
  }
  // A file is also found by its category, which lives beside the post.
  if (wants("file")) {
    const category = sql`to_tsvector('praxis_simple', ${fileDetails.category})`;
    const rank = sql<number>`ts_rank(${category}, ${tsquery})`;
    searches.push(
      deps.db
        .select({ ...postHit, rank })
        .from(fileDetails)
        .innerJoin(posts, eq(posts.id, fileDetails.postId))
        .innerJoin(communities, eq(communities.id, posts.communityId))
        .where(and(sql`${category} @@ ${tsquery}`, ...postConditions))
        .orderBy(desc(rank), asc(posts.id))
        .limit(reach),
    );
  }
  if (wants("comment")) {
    const rank = sql<number>`ts_rank(${comments.search}, ${tsquery})`;
    searches.push(
      deps.db
        .select({
          kind: sql<SearchKind>`'comment'`,
          id: comments.id,
          community: communities.slug,
          title: posts.title,
          excerpt: sql<string>`left(${comments.source}, 200)`,
          language: comments.language,
          post: posts.id,
          rank,
          createdAt: comments.createdAt,
        })
        .from(comments)
        .innerJoin(posts, eq(posts.id, comments.postId))
        .innerJoin(communities, eq(communities.id, posts.communityId))
        .where(
          and(
            sql`${comments.search} @@ ${tsquery}`,
            isNull(comments.deletedAt),
            isNull(posts.deletedAt),
            // A reply is read with its post: one on a private file only by members.
            postsReadableBy(viewer),
            inCommunity,
            query.language ? eq(comments.language, query.language) : undefined,
            query.since ? gte(comments.createdAt, query.since) : undefined,
          ),
        )
        .orderBy(desc(rank), asc(comments.id))
        .limit(reach),
    );
  }
  if (wants("community") && !query.language) {
    const document = sql`to_tsvector('praxis_simple', ${communities.name} || ' ' || ${communities.summary})`;
    const rank = sql<number>`ts_rank(${document}, ${tsquery})`;
    searches.push(
      deps.db
        .select({
          kind: sql<SearchKind>`'community'`,
          id: communities.id,
          community: communities.slug,
          title: communities.name,
          excerpt: sql<string>`left(${communities.summary}, 200)`,
          language: sql<string | null>`null`,
          post: sql<string | null>`null`,
          rank,
          createdAt: communities.createdAt,
        })
        .from(communities)
        .where(
          and(
            sql`${document} @@ ${tsquery}`,
            communitiesVisibleTo(viewer),
            inCommunity,
            query.since ? gte(communities.createdAt, query.since) : undefined,
          ),
        )
        .orderBy(desc(rank), asc(communities.id))
        .limit(reach),
    );
  }
  const best = new Map<string, SearchHit>();
  for (const hit of (await Promise.all(searches)).flat()) {
    const seen = best.get(hit.id);
    if (!seen || seen.rank < hit.rank) best.set(hit.id, hit);
  }
  // Ties go by id, in the order PostgreSQL gives uuids (their text, byte by byte), so that
  // each page's queries pick the same hits as the page before saw.
  const byId = (a: SearchHit, b: SearchHit) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const ranked = [...best.values()].sort((a, b) => b.rank - a.rank || byId(a, b));
  const end = skipped + query.limit;
  return {
    items: ranked.slice(skipped, end),
    next: ranked.length > end && end < deepestSearchHit ? cursorAfter(end) : null,
  };
}
