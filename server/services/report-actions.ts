import { and, eq } from "drizzle-orm";
import type { Executor } from "../../db/index.ts";
import { type Account, accounts } from "../../db/schema/accounts.ts";
import type { Community } from "../../db/schema/communities.ts";
import { memberships } from "../../db/schema/memberships.ts";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { refOf } from "../urls.ts";
import { recordDecision } from "./audit.ts";
import { blockDomain } from "./domains.ts";
import { banMember, removeMember } from "./membership.ts";
import { isInstanceAdmin } from "./privacy.ts";
import { suspendAccount } from "./suspension.ts";

/** What a moderator may do about the person behind a report, besides removing what they wrote. */
export const personActions = ["remove_person", "ban_person", "block_domain"] as const;
export type PersonAction = (typeof personActions)[number];

export const isPersonAction = (action: string): action is PersonAction =>
  (personActions as readonly string[]).includes(action);

async function membershipIdOf(db: Executor, community: Community, person: Account) {
  const [row] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.communityId, community.id), eq(memberships.accountId, person.id)));
  if (!row) throw new DomainError("member_not_found");
  return row.id;
}

/**
 * Acts on the reported person through the service that owns each decision, so its rule and
 * its audit entry are the ones taken anywhere else: removal and bans are a community admin's
 * (membership.ts); for the instance administrator a ban suspends the account outright, and a
 * domain block stops federating with the person's server.
 */
export async function actOnPerson(
  deps: Deps,
  viewer: Account,
  action: PersonAction,
  target: { community: Community | null; person: Account | null; reason: string },
): Promise<void> {
  const { community, person, reason } = target;
  if (!person) throw new DomainError("account_not_found");
  if (action === "block_domain") return blockDomainOf(deps, viewer, person, community, reason);
  // Removal and bans are a community's: a message's report is in none.
  if (!community) throw new DomainError("no_community_to_act_in");
  if (action === "ban_person" && isInstanceAdmin(viewer)) {
    return deps.db.transaction((tx) =>
      suspendAccount(tx, viewer, person.id, { communityId: community.id, reason }),
    );
  }
  const membershipId = await membershipIdOf(deps.db, community, person);
  if (action === "remove_person") {
    return removeMember(deps, refOf(community), viewer, membershipId, reason);
  }
  await banMember(deps, refOf(community), viewer, membershipId, reason);
}

/**
 * Stops federating with the person's server, kept in the instance's audit log and also in the
 * community's when the report is in one.
 */
async function blockDomainOf(
  deps: Deps,
  viewer: Account,
  person: Account,
  community: Community | null,
  reason: string,
): Promise<void> {
  if (!person.domain) throw new DomainError("author_is_local");
  const domain = person.domain;
  await blockDomain(deps, viewer, domain, reason, { targetAccountId: person.id });
  if (!community) return;
  await recordDecision(deps.db, {
    communityId: community.id,
    actorId: viewer.id,
    action: "domain_blocked",
    targetAccountId: person.id,
    details: { reason, domain },
  });
}

/** The person a report is about, or who wrote what it is about, when they are still known. */
export async function personOf(db: Executor, accountId: string | null): Promise<Account | null> {
  if (!accountId) return null;
  const [row] = await db.select().from(accounts).where(eq(accounts.id, accountId));
  return row ?? null;
}
