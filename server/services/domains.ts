import { asc, eq, inArray, sql } from "drizzle-orm";
import { preparedFor } from "../../db/prepared.ts";
import type { Account } from "../../db/schema/accounts.ts";
import { type DomainBlock, domainBlocks } from "../../db/schema/federation.ts";
import type { Deps } from "../deps.ts";
import { assertInstanceAdmin } from "./accounts.ts";
import { recordDecision, withReason } from "./audit.ts";

/** Whether the partner network's allowlist (FEDERATION_ALLOWLIST), if any, lists `domain`. */
function listed(allowlist: readonly string[], domain: string): boolean {
  return (
    allowlist.length === 0 ||
    allowlist.some((d) => d === domain || d === domain.replace(/:\d+$/, ""))
  );
}

/** Asked for every delivery received and every document fetched: prepared once. */
const blockOf = preparedFor((db) =>
  db
    .select({ domain: domainBlocks.domain })
    .from(domainBlocks)
    .where(eq(domainBlocks.domain, sql.placeholder("domain")))
    .prepare("domain_block_of"),
);

/**
 * Whether this instance talks with the server at `host` (host[:port]): not blocked by its
 * administrator and, when FEDERATION_ALLOWLIST is set (a partner network), listed there.
 */
export async function mayFederateWith(deps: Deps, host: string): Promise<boolean> {
  const domain = host.toLowerCase();
  if (!listed(deps.config.federationAllowlist, domain)) return false;
  const [block] = await blockOf(deps.db).execute({ domain });
  return !block;
}

/** Those of `hosts` this instance talks with (see mayFederateWith), in one query. */
export async function hostsToFederateWith(
  deps: Deps,
  hosts: readonly string[],
): Promise<Set<string>> {
  const candidates = [...new Set(hosts.map((host) => host.toLowerCase()))].filter((domain) =>
    listed(deps.config.federationAllowlist, domain),
  );
  if (candidates.length === 0) return new Set();
  const blocked = await deps.db
    .select({ domain: domainBlocks.domain })
    .from(domainBlocks)
    .where(inArray(domainBlocks.domain, candidates));
  const refused = new Set(blocked.map(({ domain }) => domain));
  return new Set(candidates.filter((domain) => !refused.has(domain)));
}

export async function listDomainBlocks(deps: Deps, viewer: Account): Promise<DomainBlock[]> {
  assertInstanceAdmin(viewer);
  return deps.db.select().from(domainBlocks).orderBy(asc(domainBlocks.domain));
}

/** Stops federating with `domain`; the decision is kept in the instance's log, with its reason. */
export async function blockDomain(
  deps: Deps,
  viewer: Account,
  domain: string,
  reason: string | undefined,
  about?: { targetAccountId: string },
): Promise<DomainBlock> {
  assertInstanceAdmin(viewer);
  const values = { domain: domain.toLowerCase(), reason: reason?.trim() ?? "" };
  return deps.db.transaction(async (tx) => {
    const [block] = await tx
      .insert(domainBlocks)
      .values(values)
      .onConflictDoUpdate({ target: domainBlocks.domain, set: { reason: values.reason } })
      .returning();
    if (!block) throw new Error("domain block upsert returned nothing");
    await recordDecision(tx, {
      communityId: null,
      actorId: viewer.id,
      action: "server_blocked",
      targetAccountId: about?.targetAccountId,
      details: { ...withReason(reason), domain: block.domain },
    });
    return block;
  });
}

export async function unblockDomain(deps: Deps, viewer: Account, domain: string): Promise<void> {
  assertInstanceAdmin(viewer);
  await deps.db.transaction(async (tx) => {
    const removed = await tx
      .delete(domainBlocks)
      .where(eq(domainBlocks.domain, domain.toLowerCase()))
      .returning();
    // Unblocking a server that was not blocked decides nothing.
    if (removed.length === 0) return;
    await recordDecision(tx, {
      communityId: null,
      actorId: viewer.id,
      action: "server_unblocked",
      details: { domain: domain.toLowerCase() },
    });
  });
}
