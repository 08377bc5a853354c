import { getLogger } from "@logtape/logtape";
import { asc, eq, inArray, sql } from "drizzle-orm";
import { communities } from "../../../db/schema/communities.ts";
import { partnerCounts } from "../../../db/schema/partner-counts.ts";
import type { Deps } from "../../deps.ts";
import { readAtMost } from "../../limits/bounded-body.ts";
import { refOf } from "../../urls.ts";
import { type SharedCount, SharedCounts } from "./shared-counts.ts";

/*
 * A hub keeps the counts its partners share (services/analytics/shared-counts.ts) beside its
 * copies of their communities, read in the worker with their directories, and shows them to
 * its instance administrator beside its own figures. Whatever a partner serves that is not
 * its own communities' counts, well formed and small, is ignored with a log line.
 */

const logger = getLogger(["praxis", "analytics", "partners"]);

/** 500 communities' counts are some 80 KB. */
const maxBytes = 256 * 1024;

class UnreadableCounts extends Error {}

/** The body as text, refused once it passes `maxBytes` rather than buffering it all. */
async function boundedText(response: Response): Promise<string> {
  const body = await readAtMost(response, maxBytes);
  if (!body) throw new UnreadableCounts(`they are larger than ${maxBytes} bytes`);
  return body.toString("utf8");
}

/** What the partner at `origin` shares; null when it shares nothing (404: not opted in). */
async function sharedBy(deps: Deps, origin: string): Promise<SharedCounts | null> {
  const response = await fetch(new URL("/api/v1/directory/counts", origin), {
    headers: { accept: "application/json" },
    redirect: "error",
    signal: AbortSignal.timeout(deps.config.remoteTimeoutMs),
  });
  if (response.status === 404) {
    await response.body?.cancel();
    return null;
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new UnreadableCounts(`they answer ${response.status}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(await boundedText(response));
  } catch (error) {
    if (error instanceof UnreadableCounts) throw error;
    throw new UnreadableCounts("they are not JSON");
  }
  const parsed = SharedCounts.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UnreadableCounts(`they are malformed (${issue?.path.join(".")}: ${issue?.message})`);
  }
  return parsed.data;
}

/**
 * Reads the counts `host` shares and keeps those of `copies`, its communities this hub shows,
 * in place of the last reading; a partner that shares none (any more) keeps none here. Never
 * throws.
 */
export async function readPartnerCounts(
  deps: Deps,
  host: string,
  copies: { id: string; uri: string | null }[],
): Promise<void> {
  try {
    const first = copies.find((copy) => copy.uri)?.uri;
    if (!first) return;
    const origin = new URL(first).origin;
    const shared = await sharedBy(deps, origin);
    const copyOf = new Map(copies.map((copy) => [copy.uri, copy.id]));
    const kept: (SharedCount & { communityId: string })[] = [];
    const foreign: string[] = [];
    for (const counts of shared?.items ?? []) {
      const communityId = copyOf.get(counts.community);
      if (new URL(counts.community).origin !== origin) foreign.push(counts.community);
      else if (communityId) kept.push({ ...counts, communityId });
    }
    if (foreign.length > 0) {
      logger.warn(
        "The counts of {host} name communities of other servers ({count}, such as {example}): ignored",
        { host, count: foreign.length, example: foreign[0] },
      );
    }
    await deps.db.transaction(async (tx) => {
      const ids = copies.map((copy) => copy.id);
      await tx.delete(partnerCounts).where(inArray(partnerCounts.communityId, ids));
      if (!shared || kept.length === 0) return;
      await tx.insert(partnerCounts).values(
        kept.map(({ communityId, views, downloads, joins, activeMembers }) => ({
          communityId,
          views,
          downloads,
          joins,
          activeMembers,
          countedTo: shared.to,
        })),
      );
    });
  } catch (error) {
    const reason =
      error instanceof UnreadableCounts
        ? error.message
        : `they could not be read (${error instanceof Error ? error.message : String(error)})`;
    logger.warn("Ignored the counts of {host}: {reason}", { host, reason });
  }
}

export type PartnerFigures = {
  ref: string;
  name: string;
  server: string;
  views: number;
  downloads: number;
  joins: number;
  activeMembers: number;
  countedTo: string;
};

/** The partners' communities' counts this hub keeps, by server then name. */
export async function partnersFigures(deps: Deps): Promise<PartnerFigures[]> {
  const rows = await deps.db
    .select({
      slug: communities.slug,
      domain: communities.domain,
      name: communities.name,
      views: partnerCounts.views,
      downloads: partnerCounts.downloads,
      joins: partnerCounts.joins,
      activeMembers: partnerCounts.activeMembers,
      countedTo: partnerCounts.countedTo,
    })
    .from(partnerCounts)
    .innerJoin(communities, eq(communities.id, partnerCounts.communityId))
    .orderBy(asc(communities.domain), sql`lower(${communities.name})`);
  return rows.map(({ slug, domain, ...figures }) => ({
    ref: refOf({ slug, domain }),
    server: domain ?? "",
    ...figures,
  }));
}
