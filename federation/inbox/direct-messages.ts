import type { InboxContext } from "@fedify/fedify";
import { type Actor, isActor, Mention, type Note, PUBLIC_COLLECTION } from "@fedify/vocab";
import { eq } from "drizzle-orm";
import { type Account, accounts } from "../../db/schema/accounts.ts";
import { maxParticipants } from "../../db/schema/messages.ts";
import { receiveMessage } from "../../server/services/messages/incoming.ts";
import type { FederationContext } from "../context.ts";
import { localAccountCalled, localCommunityCalled } from "../names.ts";
import { rememberAccount } from "../remote-actors.ts";
import { ignore } from "./ignored.ts";

type Ctx = InboxContext<FederationContext>;

/** Whether a Note is for the people it names only: not public, nor for anyone's followers. */
function isForNamedPeople(ctx: Ctx, note: Note, author: Actor | null): boolean {
  if (note.audienceId) return false;
  const followers = author?.followersId?.href;
  return ![...note.toIds, ...note.ccIds].some(
    (id) =>
      id.href === PUBLIC_COLLECTION.href ||
      id.href === followers ||
      ctx.parseUri(id)?.type === "followers",
  );
}

/** Everyone a Note is addressed to or mentions, once each. */
async function namedIn(ctx: Ctx, note: Note): Promise<URL[]> {
  const named = new Map<string, URL>();
  for (const id of [...note.toIds, ...note.ccIds]) named.set(id.href, id);
  for await (const tag of note.getTags(ctx)) {
    if (tag instanceof Mention && tag.href) named.set(tag.href.href, tag.href);
  }
  return [...named.values()];
}

/** A person an address names: someone here, a copy kept here, or else read from their server. */
async function personAt(ctx: Ctx, id: URL): Promise<Account | "community" | null> {
  const route = ctx.parseUri(id);
  if (route?.type === "actor") {
    if (await localCommunityCalled(ctx.data.deps, route.identifier)) return "community";
    return localAccountCalled(ctx.data.deps, route.identifier);
  }
  const [known] = await ctx.data.deps.db.select().from(accounts).where(eq(accounts.uri, id.href));
  if (known) return known;
  const document = await ctx.lookupObject(id, ctx).catch(() => null);
  return isActor(document) ? rememberAccount(ctx.data.deps, document) : null;
}

/**
 * The people a direct message is for, when it is one: a Note for named people only, naming
 * someone here and no community here (one sent to a community is none of this; the writing
 * listener refuses it). Null when it is no direct message.
 */
async function recipientsOf(ctx: Ctx, note: Note, author: Actor | null) {
  if (!isForNamedPeople(ctx, note, author)) return null;
  const named = await namedIn(ctx, note);
  if (named.length > maxParticipants) return null;
  const people: Account[] = [];
  for (const id of named) {
    const person = await personAt(ctx, id);
    if (person === "community") return null;
    if (person) people.push(person);
  }
  return people.some((person) => !person.domain) ? people : null;
}

/**
 * A person elsewhere writes directly to people here (a Mastodon `direct` status, or a Praxis
 * message): kept in its conversation. Answers whether it was one; a refusal (a block between
 * the author and someone here) ends in the log.
 */
export async function receiveDirectMessage(
  ctx: Ctx,
  note: Note,
  authorActor: Actor | null,
): Promise<boolean> {
  const recipients = await recipientsOf(ctx, note, authorActor);
  if (!recipients) return false;
  const author = authorActor ? await rememberAccount(ctx.data.deps, authorActor) : null;
  if (!author?.domain || !note.id || !note.content) {
    ignore(note, "a direct message needs an id, words and a person elsewhere who wrote it");
    return true;
  }
  const stored = await receiveMessage(ctx.data.deps, author, {
    uri: note.id.href,
    html: note.content?.toString() ?? "",
    published: note.published ? new Date(note.published.epochMilliseconds) : undefined,
    context: note.contextIds[0]?.href ?? null,
    inReplyTo: note.replyTargetId?.href ?? null,
    recipients,
  });
  if (!stored) ignore(note, "it is here already");
  return true;
}
