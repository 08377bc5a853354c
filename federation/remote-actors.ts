import { isDeepStrictEqual } from "node:util";
import { type Actor, Group, isActor } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { and, eq, ne, sql } from "drizzle-orm";
import { decodeHTML } from "entities";
import { preparedFor } from "../db/prepared.ts";
import { type Account, accounts } from "../db/schema/accounts.ts";
import { type Community, communities } from "../db/schema/communities.ts";
import type { Deps } from "../server/deps.ts";
import { remoteAccountNamed } from "../server/services/names.ts";
import { maxBioLength } from "../server/services/profiles.ts";
import type { GroupTerms, PersonTerms } from "./praxis-terms.ts";

const logger = getLogger(["praxis", "federation", "actors"]);

/** Where an actor lives, taken from its own (already verified or fetched) document. */
function whereabouts(actor: Actor) {
  if (!actor.id || !actor.inboxId) return null;
  return {
    uri: actor.id.href,
    domain: actor.id.host.toLowerCase(),
    inbox: actor.inboxId.href,
    sharedInbox: actor.endpoints?.sharedInbox?.href ?? null,
    followers: actor.followersId?.href ?? null,
    fetchedAt: new Date(),
  };
}

/** Text from another server as plain text: names and summaries are shown as text here. */
export function plain(value: unknown, fallback: string, maxLength = 200): string {
  const text = typeof value === "string" ? value : value?.toString();
  return (
    text
      ?.replace(/<[^>]*>/g, " ")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, maxLength) || fallback
  );
}

/**
 * A person's summary from another server, which is HTML, as the plain text a bio is here:
 * paragraphs and line breaks kept, markup dropped, entities (`&amp;`) read.
 */
export function bioFrom(summary: unknown): string {
  const html = typeof summary === "string" ? summary : (summary?.toString() ?? "");
  const text = html
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/p>/gi, "\n\n")
    .replace(/<[^>]*>/g, "");
  return decodeHTML(text)
    .replace(/[^\S\n]+/g, " ")
    .replace(/ *\n */g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim()
    .slice(0, maxBioLength);
}

const accountAt = preparedFor((db) =>
  db
    .select()
    .from(accounts)
    .where(eq(accounts.uri, sql.placeholder("uri")))
    .prepare("account_at"),
);

/** How long a copy that its actor's document still describes goes without being rewritten. */
const copyKeptFor = 60 * 60 * 1000;

/**
 * Whether the stored copy already says what `described` says, holds its handle, and was
 * fetched within the hour: every activity a person sends carries their document, and
 * rewriting the same row for each took a transaction of five statements. A copy that holds
 * its handle keeps it whoever else comes by the name, so there is nothing to look up again.
 */
function isFreshCopy(stored: Account, described: Partial<Account>): boolean {
  const fetched = stored.fetchedAt?.getTime() ?? 0;
  return (
    stored.holdsHandle &&
    Date.now() - fetched < copyKeptFor &&
    Object.entries(described).every(
      ([column, value]) =>
        column === "fetchedAt" || isDeepStrictEqual(stored[column as keyof Account], value),
    )
  );
}

/**
 * Keeps a copy of a person on another server, so that memberships, posts and likes can
 * name them like anyone else. Returns null for documents that cannot be a member. `terms`
 * are the Praxis profile read from their own document; left out, what is known stays.
 * Two actors of one server may go by one name (a renamed actor, a person and a bot): both are
 * kept, and the handle stays with the copy that holds it until that actor's own document
 * goes by another name. Mastodon instead refuses the actor its WebFinger does not name
 * (app/services/activitypub/fetch_remote_actor_service.rb, check_webfinger!), which here
 * would drop a member's every activity; the id still names the other one alone.
 */
export async function rememberAccount(
  deps: Deps,
  actor: Actor,
  terms?: PersonTerms | null,
): Promise<Account | null> {
  const place = whereabouts(actor);
  if (!place || actor instanceof Group || !isActor(actor)) return null;
  const username = plain(actor.preferredUsername, "").replace(/[^\p{L}\p{N}_.-]/gu, "");
  if (!username) return null;
  const described = {
    username,
    displayName: plain(actor.name, username),
    bio: bioFrom(actor.summary),
    ...(terms ?? {}),
    // Only a document read whole says whether it has Praxis's terms (null: it has none).
    ...(terms === undefined ? {} : { speaksPraxis: terms !== null }),
    ...place,
  };
  const [stored] = await accountAt(deps.db).execute({ uri: place.uri });
  if (stored && isFreshCopy(stored, described)) return stored;
  const handle = `${username.toLowerCase()}@${place.domain}`;
  const account = await deps.db.transaction(async (tx) => {
    // One copy at a time per handle, so that two namesakes arriving at once do not both take it.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`praxis.handle:${handle}`}))`);
    const [holder] = await tx
      .select({ uri: accounts.uri })
      .from(accounts)
      .where(and(remoteAccountNamed(username, place.domain), ne(accounts.uri, place.uri)));
    if (holder) {
      logger.info("{uri} goes by {handle}, which {holder} holds", {
        uri: place.uri,
        handle,
        holder: holder.uri,
      });
    }
    const profile = { ...described, holdsHandle: !holder };
    const [kept] = await tx
      .insert(accounts)
      .values({ ...profile, state: "active", emailNotifications: "none" })
      .onConflictDoUpdate({ target: accounts.uri, set: { ...profile, updatedAt: new Date() } })
      .returning();
    return kept;
  });
  if (!account) logger.warn("Could not keep {uri}", { uri: place.uri });
  return account ?? null;
}

/** A working group's parent, when it is a community of the same server already known here. */
async function knownParentId(deps: Deps, group: Group): Promise<string | null> {
  const parentUri = group.contextIds.find((id) => id.origin === group.id?.origin);
  const parent = parentUri ? await findRemoteCommunity(deps, parentUri.href) : null;
  return parent?.id ?? null;
}

/** What a Praxis home says of its community, in the columns a local one keeps it in. */
function aboutFrom(terms: GroupTerms) {
  const { overview, purpose, engagement, ...rest } = terms;
  return { ...rest, conceptNote: { overview, purpose, engagement } };
}

/**
 * Keeps a copy of a community on another server. Its own server decides who reads what;
 * here the same rules hold for local people at the privacy level its home states (from a
 * Praxis home, exactly; from others, "approval needed" is taken as semi-private).
 */
export async function rememberCommunity(
  deps: Deps,
  group: Group,
  terms: GroupTerms | null,
): Promise<Community | null> {
  const place = whereabouts(group);
  const slug = plain(group.preferredUsername, "");
  if (!place || !slug) return null;
  const profile = {
    slug,
    name: plain(group.name, slug),
    summary: plain(group.summary, "", 2000),
    privacy: group.manuallyApprovesFollowers ? ("semi_private" as const) : ("open" as const),
    hidden: group.discoverable === false,
    parentId: await knownParentId(deps, group),
    ...(terms ? aboutFrom(terms) : {}),
    ...place,
  };
  const [community] = await deps.db
    .insert(communities)
    .values(profile)
    .onConflictDoUpdate({ target: communities.uri, set: { ...profile, updatedAt: new Date() } })
    .returning();
  return community ?? null;
}

export async function findRemoteCommunity(deps: Deps, uri: string): Promise<Community | null> {
  const [community] = await deps.db.select().from(communities).where(eq(communities.uri, uri));
  return community ?? null;
}

export async function findRemoteAccount(deps: Deps, uri: string): Promise<Account | null> {
  const [account] = await deps.db.select().from(accounts).where(eq(accounts.uri, uri));
  return account ?? null;
}
