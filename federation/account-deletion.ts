import type { Context } from "@fedify/fedify";
import { Delete, Person, PUBLIC_COLLECTION, type Recipient, Tombstone } from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import { eq, inArray } from "drizzle-orm";
import type { Executor } from "../db/index.ts";
import { accounts } from "../db/schema/accounts.ts";
import { communities } from "../db/schema/communities.ts";
import type { FederationEvent } from "../server/services/federation-port.ts";
import { membersElsewhere } from "./collections.ts";
import type { FederationContext } from "./context.ts";
import { localAccountCalled } from "./names.ts";
import { personUri } from "./objects.ts";
import { inboxOf } from "./recipients.ts";

type Ctx = Context<FederationContext>;

/**
 * A deleted local person's actor document: a Tombstone, which Fedify answers with 410 Gone,
 * so that a server fetching the person after the Delete (or one that missed it) learns they
 * are gone rather than finding them unknown (404) or, worse, still there.
 */
export async function tombstoneOfDeletedPerson(
  ctx: Ctx,
  identifier: string,
): Promise<Tombstone | null> {
  const account = await localAccountCalled(ctx.data.deps, identifier);
  if (!account?.deletedAt) return null;
  return new Tombstone({
    id: ctx.getActorUri(identifier),
    formerType: Person,
    deleted: Temporal.Instant.fromEpochMilliseconds(account.deletedAt.getTime()),
  });
}

/**
 * The servers that know the person: those of the other members of the local communities
 * they were in, and the homes of the communities elsewhere they were in.
 */
async function serversKnowing(ctx: Ctx, db: Executor, communityIds: string[]) {
  if (communityIds.length === 0) return [];
  const known = await db.select().from(communities).where(inArray(communities.id, communityIds));
  const recipients: Recipient[] = [];
  for (const community of known) {
    if (community.domain) recipients.push(inboxOf(community));
    else recipients.push(...(await membersElsewhere(ctx.data.deps, community.id)));
  }
  return recipients;
}

/**
 * `Delete(Person)`: the actor deletes itself, as Mastodon sends it and reads it (a Delete
 * whose object is its actor's id removes the account, app/lib/activitypub/activity/delete.rb,
 * delete_person).
 */
export async function sendAccountDeletion(
  ctx: Ctx,
  db: Executor,
  event: Extract<FederationEvent, { type: "account_deleted" }>,
): Promise<void> {
  const [account] = await db.select().from(accounts).where(eq(accounts.id, event.accountId));
  if (!account) return;
  const recipients = await serversKnowing(ctx, db, event.communityIds);
  if (recipients.length === 0) return;
  const actor = personUri(ctx, account);
  const deletion = new Delete({
    id: new URL("#delete", actor),
    actor,
    object: actor,
    to: PUBLIC_COLLECTION,
  });
  await ctx.sendActivity({ identifier: account.username.toLowerCase() }, recipients, deletion, {
    preferSharedInbox: true,
    orderingKey: `account:${account.id}`,
  });
}
