import { eq, or } from "drizzle-orm";
import type { Executor } from "../../../db/index.ts";
import type { Account } from "../../../db/schema/accounts.ts";
import { conversations, maxParticipants, messages } from "../../../db/schema/messages.ts";
import type { Deps } from "../../deps.ts";
import { DomainError } from "../../errors.ts";
import { sanitize } from "../sanitize.ts";
import { localConversationIdIn, localMessageIdIn } from "./addresses.ts";
import { assertNoBlockBetween } from "./blocks.ts";
import { addParticipants, insertMessage, participantsOf } from "./conversations.ts";
import { mailMessage } from "./notices.ts";

/** A direct message from a person on another server, as federation/ read it. */
export interface IncomingMessage {
  uri: string;
  html: string;
  published?: Date | undefined;
  /** The thread it belongs to (`context`, or Mastodon's `conversation`), if it says. */
  context: string | null;
  inReplyTo: string | null;
  /** Everyone it is addressed to or mentions, here and elsewhere, its author left out. */
  recipients: Account[];
}

/** The conversation a message belongs to: the one of the message it answers, else its thread's. */
async function conversationFor(deps: Deps, tx: Executor, incoming: IncomingMessage) {
  const { publicUrl } = deps.config;
  const isLocal = (uri: string | null) => !uri || Boolean(localConversationIdIn(publicUrl, uri));
  if (incoming.inReplyTo) {
    const localId = localMessageIdIn(publicUrl, incoming.inReplyTo);
    const [answered] = await tx
      .select({ conversationId: messages.conversationId })
      .from(messages)
      .where(localId ? eq(messages.id, localId) : eq(messages.uri, incoming.inReplyTo));
    if (answered) return answered.conversationId;
  }
  if (incoming.context) {
    const localId = localConversationIdIn(publicUrl, incoming.context);
    const [thread] = await tx
      .select({ id: conversations.id })
      .from(conversations)
      .where(
        localId
          ? or(eq(conversations.id, localId), eq(conversations.uri, incoming.context))
          : eq(conversations.uri, incoming.context),
      );
    if (thread) return thread.id;
  }
  const [created] = await tx
    .insert(conversations)
    .values({ uri: isLocal(incoming.context) ? null : incoming.context })
    .returning({ id: conversations.id });
  if (!created) throw new Error("a conversation was not stored");
  return created.id;
}

/**
 * Stores a direct message from `author`, on another server, in its conversation here (found
 * by what it answers or its thread, else begun with the people it names), and tells the
 * recipients here. Refused (`blocked`) when any of the people here it reaches blocks the
 * author, or is blocked by them; null when it is here already.
 */
export async function receiveMessage(
  deps: Deps,
  author: Account,
  incoming: IncomingMessage,
): Promise<string | null> {
  const named = incoming.recipients.filter((each) => each.id !== author.id);
  const here = named.filter((each) => !each.domain);
  if (here.length === 0) throw new DomainError("recipient_invalid", { handle: author.username });
  const stored = await deps.db.transaction(async (tx) => {
    const conversationId = await conversationFor(deps, tx, incoming);
    const known = await participantsOf(tx, conversationId);
    const newcomers = [author, ...named].filter(
      (person) => !known.some((each) => each.id === person.id),
    );
    if (known.length + newcomers.length > maxParticipants)
      throw new DomainError("too_many_participants", { limit: maxParticipants });
    await addParticipants(tx, conversationId, newcomers);
    const recipients = [...known, ...newcomers].filter((each) => each.id !== author.id);
    await assertNoBlockBetween(
      tx,
      author.id,
      recipients.filter((each) => !each.domain).map(({ id }) => id),
    );
    const message = await insertMessage(deps, tx, conversationId, author, recipients, {
      html: sanitize(incoming.html),
      source: "",
      uri: incoming.uri,
      createdAt: incoming.published,
    });
    return message ? { message, recipients } : null;
  });
  if (!stored) return null;
  await mailMessage(
    deps,
    stored.message,
    author,
    stored.recipients.filter((each) => !each.domain).map(({ id }) => id),
  );
  return stored.message.conversationId;
}
