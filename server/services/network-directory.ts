import { getLogger } from "@logtape/logtape";
import { and, arrayContains, eq, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import type { Executor } from "../../db/index.ts";
import type { Account } from "../../db/schema/accounts.ts";
import { type Community, communities, type PrivacyLevel } from "../../db/schema/communities.ts";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import {
  beyondPosition,
  type CursorPosition,
  cursorOrder,
  decodeCursor,
  encodeCursor,
} from "../pagination.ts";
import { readPartnerCounts } from "./analytics/partner-counts.ts";
import { communitiesWithActivity, isActiveCommunity } from "./community-activity.ts";
import { hostsToFederateWith } from "./domains.ts";
import { communitiesVisibleTo } from "./privacy.ts";

/*
 * One directory of the whole partner network: every instance publishes its listed
 * communities (the signed-out view of its own directory), and an instance with partners reads
 * theirs in the worker, keeping each community as the copy a look-up by handle would make.
 */

const logger = getLogger(["praxis", "directory"]);

/** What the directory can be narrowed to, besides a search; values are already canonical. */
export interface DirectoryFilters {
  topic?: string | undefined;
  /** A language tag; `pt` also finds communities in `pt-BR`. */
  language?: string | undefined;
  country?: string | undefined;
  privacy?: PrivacyLevel | undefined;
  activity?: "active" | "inactive" | undefined;
  /** Only this instance's own communities: what it publishes. */
  onlyHere?: boolean | undefined;
}

export function directoryConditions(
  filters: DirectoryFilters,
  inactivityDays: number,
): (SQL | undefined)[] {
  const { topic, language, country, privacy, activity, onlyHere } = filters;
  return [
    topic ? arrayContains(communities.topics, [topic]) : undefined,
    language
      ? sql`exists (select 1 from unnest(${communities.languages}) as tag
          where tag = ${language} or tag like ${`${language}-%`})`
      : undefined,
    country ? arrayContains(communities.countries, [country]) : undefined,
    privacy ? eq(communities.privacy, privacy) : undefined,
    activity ? communitiesWithActivity(activity, inactivityDays) : undefined,
    onlyHere ? isNull(communities.domain) : undefined,
  ];
}

/** The position a cursor's tail names, or null: the refusal then names the whole cursor. */
function positionIn(cursor: string): CursorPosition | null {
  try {
    return decodeCursor(cursor);
  } catch {
    return null;
  }
}

/**
 * The directory's order: active communities first, inactive ones last (issue 16), each part
 * newest first, the id settling ties, so that the order is total and paging by cursor neither
 * skips nor repeats an entry. A cursor names the part of its last entry before its position,
 * `a` or `i`, then the position as every other list's cursor has it.
 */
export class DirectoryOrder {
  readonly #inactivityDays: number;
  readonly #now: Date;

  constructor(inactivityDays: number, now = new Date()) {
    this.#inactivityDays = inactivityDays;
    this.#now = now;
  }

  #part(part: "active" | "inactive"): SQL {
    return communitiesWithActivity(part, this.#inactivityDays, this.#now);
  }

  orderBy(): SQL[] {
    return [
      sql`(${this.#part("inactive")}) asc`,
      ...cursorOrder(communities.createdAt, communities.id),
    ];
  }

  /** The communities after the cursor's, in this order. */
  after(cursor: string | undefined): SQL | undefined {
    if (!cursor) return undefined;
    const part = { a: "active", i: "inactive" }[cursor.slice(0, 1)];
    const position = part ? positionIn(cursor.slice(1)) : null;
    if ((part !== "active" && part !== "inactive") || !position) {
      throw new DomainError("invalid_input", {}, [{ field: "cursor", problem: "invalid" }]);
    }
    const beyond = beyondPosition(communities.createdAt, communities.id, position);
    const within = and(this.#part(part), beyond);
    return part === "active" ? or(this.#part("inactive"), within) : within;
  }

  cursorAfter(community: Community): string {
    const part = isActiveCommunity(community, this.#inactivityDays, this.#now) ? "a" : "i";
    return `${part}${encodeCursor(community)}`;
  }
}

export interface FacetCount {
  value: string;
  count: number;
}

/** How many communities the directory shows the viewer for each value, most common first. */
async function countsOf(deps: Deps, viewer: Account | null, values: SQL): Promise<FacetCount[]> {
  const rows = await deps.db.execute<{ value: string; count: number }>(sql`
    select value, count(*)::int as count
    from ${communities}, unnest(${values}) as value
    where ${communitiesVisibleTo(viewer)} and ${isNull(communities.parentId)}
    group by value order by count desc, value limit 100`);
  return [...rows];
}

/** The topics, languages and countries the viewer can narrow the directory to. */
export async function directoryFacets(deps: Deps, viewer: Account | null) {
  const [topics, languages, countries] = await Promise.all([
    countsOf(deps, viewer, sql`${communities.topics}`),
    // By language, whatever the region: `pt` stands for `pt` and `pt-BR` alike.
    countsOf(
      deps,
      viewer,
      sql`array(select distinct split_part(tag, '-', 1) from unnest(${communities.languages}) as tag)`,
    ),
    countsOf(deps, viewer, sql`${communities.countries}`),
  ]);
  return { topics, languages, countries };
}

/** The servers whose directories this one shows beside its own, as far as it federates with them. */
async function partnersToRead(deps: Deps): Promise<string[]> {
  const own = deps.config.publicUrl.host.toLowerCase();
  const partners = deps.config.partners.filter((host) => host !== own);
  const allowed = await hostsToFederateWith(deps, partners);
  for (const host of partners.filter((partner) => !allowed.has(partner))) {
    logger.warn("Not reading the directory of {host}: this server does not federate with it", {
      host,
    });
  }
  return partners.filter((host) => allowed.has(host));
}

/**
 * Reads every partner's directory, then the counts it shares (services/analytics/
 * partner-counts.ts), all at once so that a slow one holds up no other. Each reading logs what
 * it ignored and why; none can fail the others.
 */
export async function refreshNetworkDirectory(deps: Deps): Promise<void> {
  const partners = await partnersToRead(deps);
  const readings = await Promise.all(
    partners.map(async (host) => {
      const listed = await deps.federation.readDirectoryOf(host);
      await readPartnerCounts(deps, host, await shownCopiesOf(deps.db, host));
      return listed;
    }),
  );
  const listed = readings.reduce<number>((sum, count) => sum + (count ?? 0), 0);
  const unread = readings.filter((count) => count === null).length;
  if (partners.length > 0) {
    logger.info("Read the directories of {read} of {partners} partners: {listed} communities", {
      read: partners.length - unread,
      partners: partners.length,
      listed,
    });
  }
}

/** Copies of `host`'s top-level communities that this server shows in its directory. */
export async function shownCopiesOf(
  db: Executor,
  host: string,
): Promise<{ id: string; uri: string | null }[]> {
  return db
    .select({ id: communities.id, uri: communities.uri })
    .from(communities)
    .where(
      and(eq(communities.domain, host), isNull(communities.parentId), communitiesVisibleTo(null)),
    );
}

/**
 * Copies whose home no longer lists them and no longer shows them to this server: their home
 * hid them (a hidden community answers strangers as an unknown name does), so they are
 * hidden here too, until their home lists them again.
 */
export async function hideCopies(db: Executor, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.update(communities).set({ hidden: true }).where(inArray(communities.id, ids));
}
