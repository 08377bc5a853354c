import { and, eq, gt, isNull, ne, sql } from "drizzle-orm";
import type { Executor } from "../../../db/index.ts";
import { type Account, accounts } from "../../../db/schema/accounts.ts";
import {
  type Conversation,
  conversationParticipants,
  conversations,
  type Message,
  maxParticipants,
  messages,
} from "../../../db/schema/messages.ts";
import type { Deps } from "../../deps.ts";
import { DomainError } from "../../errors.ts";
import { afterCursor, cursorOrder, type PageRequest, toPage } from "../../pagination.ts";
import { renderMarkdown } from "../markdown.ts";
import { canReadConversation, conversationsReadableBy } from "../privacy.ts";
import { localMessageIdIn } from "./addresses.ts";
import { assertNoBlockBetween, personNamed } from "./blocks.ts";
import { mailMessage, noticeOfMessage } from "./notices.ts";

export interface ConversationView {
  conversation: Conversation;
  /** Everyone in it, the viewer included. */
  participants: Account[];
  unread: number;
  last: Message | null;
}

export interface MessageView {
  message: Message;
  author: Account;
}

/** The viewer's place in a conversation; one they are not in answers as if it did not exist. */
async function participationOf(db: Executor, conversationId: string, viewer: Account) {
  const [participation] = await db
    .select()
    .from(conversationParticipants)
    .where(
      and(
        eq(conversationParticipants.conversationId, conversationId),
        eq(conversationParticipants.accountId, viewer.id),
      ),
    );
  if (!canReadConversation(participation)) throw new DomainError("conversation_not_found");
  return participation;
}

export async function participantsOf(db: Executor, conversationId: string): Promise<Account[]> {
  const rows = await db
    .select({ account: accounts })
    .from(conversationParticipants)
    .innerJoin(accounts, eq(accounts.id, conversationParticipants.accountId))
    .where(eq(conversationParticipants.conversationId, conversationId))
    .orderBy(conversationParticipants.createdAt, accounts.username);
  return rows.map((row) => row.account);
}

/** Messages others wrote after the viewer last read the conversation. */
const unreadFor = (viewer: Account) => sql<number>`(select count(*)::int from ${messages}
  where ${messages.conversationId} = ${conversations.id}
  and ${messages.authorId} <> ${viewer.id} and ${messages.deletedAt} is null
  and ${messages.createdAt} > coalesce(${conversationParticipants.lastReadAt}, '-infinity'))`;

async function lastMessageOf(db: Executor, conversationId: string): Promise<Message | null> {
  const [last] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), isNull(messages.deletedAt)))
    .orderBy(...cursorOrder(messages.createdAt, messages.id))
    .limit(1);
  return last ?? null;
}

/** The viewer's conversations, the one with the latest message first, with their unread counts. */
export async function listConversations(deps: Deps, viewer: Account, query: PageRequest) {
  const rows = await deps.db
    .select({ conversation: conversations, unread: unreadFor(viewer) })
    .from(conversations)
    .innerJoin(
      conversationParticipants,
      and(
        eq(conversationParticipants.conversationId, conversations.id),
        eq(conversationParticipants.accountId, viewer.id),
      ),
    )
    .where(
      and(
        conversationsReadableBy(viewer),
        afterCursor(conversations.updatedAt, conversations.id, query.cursor),
      ),
    )
    .orderBy(...cursorOrder(conversations.updatedAt, conversations.id))
    .limit(query.limit + 1);
  const page = toPage(rows, query.limit, ({ conversation }) => ({
    createdAt: conversation.updatedAt,
    id: conversation.id,
  }));
  const items: ConversationView[] = [];
  for (const row of page.items) {
    items.push({
      ...row,
      participants: await participantsOf(deps.db, row.conversation.id),
      last: await lastMessageOf(deps.db, row.conversation.id),
    });
  }
  return { items, next: page.next };
}

/** One conversation, for its participants only. */
export async function viewConversation(
  deps: Deps,
  viewer: Account,
  conversationId: string,
): Promise<ConversationView> {
  const participation = await participationOf(deps.db, conversationId, viewer);
  const [row] = await deps.db
    .select({ conversation: conversations })
    .from(conversations)
    .where(eq(conversations.id, conversationId));
  if (!row) throw new DomainError("conversation_not_found");
  const unread = await deps.db.$count(
    messages,
    and(
      eq(messages.conversationId, conversationId),
      ne(messages.authorId, viewer.id),
      isNull(messages.deletedAt),
      participation.lastReadAt ? gt(messages.createdAt, participation.lastReadAt) : undefined,
    ),
  );
  return {
    conversation: row.conversation,
    participants: await participantsOf(deps.db, conversationId),
    unread,
    last: await lastMessageOf(deps.db, conversationId),
  };
}

/** A conversation's messages, newest first, for its participants only. */
export async function listMessages(
  deps: Deps,
  viewer: Account,
  conversationId: string,
  query: PageRequest,
) {
  await participationOf(deps.db, conversationId, viewer);
  const rows = await deps.db
    .select({ message: messages, author: accounts })
    .from(messages)
    .innerJoin(accounts, eq(accounts.id, messages.authorId))
    .where(
      and(
        eq(messages.conversationId, conversationId),
        isNull(messages.deletedAt),
        afterCursor(messages.createdAt, messages.id, query.cursor),
      ),
    )
    .orderBy(...cursorOrder(messages.createdAt, messages.id))
    .limit(query.limit + 1);
  return toPage(rows, query.limit, (row) => row.message);
}

/**
 * One message as the viewer may see it: only a participant of its conversation does (a report
 * about a message looks it up so).
 */
export async function findMessageFor(
  deps: Deps,
  viewer: Account,
  messageId: string,
): Promise<MessageView> {
  const [row] = await deps.db
    .select({ message: messages, author: accounts })
    .from(messages)
    .innerJoin(accounts, eq(accounts.id, messages.authorId))
    .where(eq(messages.id, messageId));
  if (!row) throw new DomainError("not_found");
  await participationOf(deps.db, row.message.conversationId, viewer).catch(() => {
    throw new DomainError("not_found");
  });
  return row;
}

/** The message an ActivityPub id names: one written here, or one kept from elsewhere. */
export async function messageAt(deps: Deps, db: Executor, uri: string): Promise<Message | null> {
  const localId = localMessageIdIn(deps.config.publicUrl, uri);
  const [message] = await db
    .select()
    .from(messages)
    .where(
      and(localId ? eq(messages.id, localId) : eq(messages.uri, uri), isNull(messages.deletedAt)),
    );
  return message ?? null;
}

/** A message taken out of its conversation (after a report): no one reads it any more. */
export async function removeMessage(tx: Executor, messageId: string): Promise<void> {
  await tx
    .update(messages)
    .set({ deletedAt: new Date() })
    .where(and(eq(messages.id, messageId), isNull(messages.deletedAt)));
}

/** Everything read up to now. */
export async function markConversationRead(
  deps: Deps,
  viewer: Account,
  conversationId: string,
): Promise<void> {
  await participationOf(deps.db, conversationId, viewer);
  await deps.db
    .update(conversationParticipants)
    .set({ lastReadAt: new Date() })
    .where(
      and(
        eq(conversationParticipants.conversationId, conversationId),
        eq(conversationParticipants.accountId, viewer.id),
      ),
    );
}

export interface NewMessage {
  html: string;
  source: string;
  /** The Note's id, for a message from another server. */
  uri?: string | undefined;
  createdAt?: Date | undefined;
}

/**
 * Stores a message by `author` to the conversation's other `recipients`, tells the ones here,
 * and, when it was written here, queues it for the ones elsewhere. The author has read all
 * that came before. Null when a message with this id is here already.
 */
export async function insertMessage(
  deps: Deps,
  tx: Executor,
  conversationId: string,
  author: Account,
  recipients: readonly Account[],
  text: NewMessage,
): Promise<Message | null> {
  const [message] = await tx
    .insert(messages)
    .values({
      conversationId,
      authorId: author.id,
      content: text.html,
      source: text.source,
      uri: text.uri ?? null,
      ...(text.createdAt ? { createdAt: text.createdAt } : {}),
    })
    .onConflictDoNothing()
    .returning();
  if (!message) return null;
  await tx
    .update(conversations)
    .set({
      updatedAt: sql`greatest(${conversations.updatedAt}, ${message.createdAt.toISOString()}::timestamptz)`,
    })
    .where(eq(conversations.id, conversationId));
  await tx
    .update(conversationParticipants)
    .set({ lastReadAt: message.createdAt })
    .where(
      and(
        eq(conversationParticipants.conversationId, conversationId),
        eq(conversationParticipants.accountId, author.id),
      ),
    );
  const here = recipients.filter((recipient) => !recipient.domain).map(({ id }) => id);
  await noticeOfMessage(tx, message, author, here);
  if (!author.domain && recipients.some((recipient) => recipient.domain)) {
    await deps.federation.publish(tx, {
      type: "message_sent",
      messageId: message.id,
      conversationId,
    });
  }
  return message;
}

/** Adds people to a conversation (those in it already stay as they are). */
export async function addParticipants(
  tx: Executor,
  conversationId: string,
  people: readonly Account[],
): Promise<void> {
  if (people.length === 0) return;
  await tx
    .insert(conversationParticipants)
    .values(people.map((person) => ({ conversationId, accountId: person.id })))
    .onConflictDoNothing();
}

/** The distinct people named, without the author; at least one, and not too many. */
function recipientsAmong(author: Account, named: readonly Account[]): Account[] {
  const recipients = [...new Map(named.map((each) => [each.id, each])).values()].filter(
    (each) => each.id !== author.id,
  );
  if (recipients.length === 0)
    throw new DomainError("recipient_invalid", { handle: author.username });
  if (recipients.length + 1 > maxParticipants)
    throw new DomainError("too_many_participants", { limit: maxParticipants });
  return recipients;
}

/** Mail goes once the message is stored: a mail server that is down must not undo it. */
async function mailAfterwards(deps: Deps, message: Message, author: Account, to: Account[]) {
  await mailMessage(
    deps,
    message,
    author,
    to.map(({ id }) => id),
  );
}

/** Begins a conversation with the people the handles name, here or on other servers. */
export async function startConversation(
  deps: Deps,
  author: Account,
  input: { to: string[]; body: string },
): Promise<ConversationView> {
  const html = renderMarkdown(input.body);
  if (input.to.length + 1 > maxParticipants)
    throw new DomainError("too_many_participants", { limit: maxParticipants });
  const named: Account[] = [];
  for (const handle of input.to) named.push(await personNamed(deps, handle, author));
  const recipients = recipientsAmong(author, named);
  const { conversation, message } = await deps.db.transaction(async (tx) => {
    await assertNoBlockBetween(
      tx,
      author.id,
      recipients.map(({ id }) => id),
    );
    const [conversation] = await tx.insert(conversations).values({}).returning();
    if (!conversation) throw new Error("a conversation was not stored");
    await addParticipants(tx, conversation.id, [author, ...recipients]);
    const message = await insertMessage(deps, tx, conversation.id, author, recipients, {
      html,
      source: input.body,
    });
    return { conversation, message };
  });
  if (message) await mailAfterwards(deps, message, author, recipients);
  return viewConversation(deps, author, conversation.id);
}

/** Answers in a conversation the author is in. */
export async function sendMessage(
  deps: Deps,
  author: Account,
  conversationId: string,
  input: { body: string },
): Promise<MessageView> {
  await participationOf(deps.db, conversationId, author);
  const html = renderMarkdown(input.body);
  const recipients = (await participantsOf(deps.db, conversationId)).filter(
    (each) => each.id !== author.id,
  );
  const message = await deps.db.transaction(async (tx) => {
    await assertNoBlockBetween(
      tx,
      author.id,
      recipients.map(({ id }) => id),
    );
    return insertMessage(deps, tx, conversationId, author, recipients, {
      html,
      source: input.body,
    });
  });
  if (!message) throw new Error("a message was not stored");
  await mailAfterwards(deps, message, author, recipients);
  return { message, author };
}
