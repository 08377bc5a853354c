import type { Context } from "@fedify/fedify";
import { Block, Create, Mention, Note, Undo } from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import { and, eq } from "drizzle-orm";
import type { Executor } from "../db/index.ts";
import { type Account, accounts } from "../db/schema/accounts.ts";
import { conversations, type Message, messages } from "../db/schema/messages.ts";
import { beyondPosition, cursorOrder } from "../server/pagination.ts";
import type { FederationEvent } from "../server/services/federation-port.ts";
import { conversationUri, messageUri } from "../server/services/messages/addresses.ts";
import { participantsOf } from "../server/services/messages/conversations.ts";
import { handleOf } from "../server/urls.ts";
import type { FederationContext } from "./context.ts";
import { personUri } from "./objects.ts";
import { inboxOf } from "./recipients.ts";

type Ctx = Context<FederationContext>;

const senderOf = (account: Account) => ({ identifier: account.username.toLowerCase() });

/** The message written just before `message` in its conversation: the one it answers. */
async function previousMessage(db: Executor, message: Message): Promise<Message | null> {
  const [previous] = await db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, message.conversationId),
        beyondPosition(messages.createdAt, messages.id, message),
      ),
    )
    .orderBy(...cursorOrder(messages.createdAt, messages.id))
    .limit(1);
  return previous ?? null;
}

async function accountById(db: Executor, id: string): Promise<Account | null> {
  const [account] = await db.select().from(accounts).where(eq(accounts.id, id));
  return account ?? null;
}

/**
 * A message written here goes as a `Create(Note)` signed by its author and addressed to the
 * conversation's other participants only: no Public, no followers, no cc, and a Mention of each,
 * which is what makes it a direct message to Mastodon (app/lib/activitypub/parser/
 * status_parser.rb, `visibility`: `direct` when neither public nor followers are addressed,
 * and it shows it to the accounts mentioned). `context` names the conversation and `inReplyTo`
 * the message before it, so every server threads it alike. Each server of a participant gets
 * it once: they all see who is in the conversation anyway.
 */
export async function sendDirectMessage(ctx: Ctx, db: Executor, messageId: string) {
  const [message] = await db.select().from(messages).where(eq(messages.id, messageId));
  if (!message || message.deletedAt) return;
  const author = await accountById(db, message.authorId);
  const [conversation] = await db
    .select()
    .from(conversations)
    .where(eq(conversations.id, message.conversationId));
  if (!author || author.domain || !conversation) return;
  const others = (await participantsOf(db, conversation.id)).filter((p) => p.id !== author.id);
  const elsewhere = others.filter((person) => person.domain && person.inbox);
  if (elsewhere.length === 0) return;
  const { publicUrl } = ctx.data.deps.config;
  const previous = await previousMessage(db, message);
  const tos = others.map((person) => personUri(ctx, person));
  const note = new Note({
    id: new URL(messageUri(publicUrl, message)),
    attribution: personUri(ctx, author),
    content: message.content,
    published: Temporal.Instant.fromEpochMilliseconds(message.createdAt.getTime()),
    tos,
    tags: others.map(
      (person) =>
        new Mention({
          href: personUri(ctx, person),
          name: handleOf(publicUrl, person.username, person),
        }),
    ),
    contexts: [new URL(conversationUri(publicUrl, conversation))],
    replyTarget: previous ? new URL(messageUri(publicUrl, previous)) : null,
  });
  const create = new Create({
    id: new URL(`${note.id?.href}#create`),
    actor: personUri(ctx, author),
    object: note,
    tos,
  });
  await ctx.sendActivity(senderOf(author), elsewhere.map(inboxOf), create, {
    preferSharedInbox: true,
    orderingKey: conversationUri(publicUrl, conversation),
  });
}

/**
 * A block of a person elsewhere goes to their server as a `Block`, as Mastodon sends one
 * (app/services/block_service.rb, `create_notification`), and an unblock as its `Undo`.
 */
export async function sendBlock(
  ctx: Ctx,
  db: Executor,
  event: Extract<FederationEvent, { type: "blocked" | "unblocked" }>,
) {
  const blocker = await accountById(db, event.blockerId);
  const blocked = await accountById(db, event.blockedId);
  if (!blocker || blocker.domain || !blocked?.domain || !blocked.uri) return;
  const actor = personUri(ctx, blocker);
  const block = new Block({
    id: new URL(event.uri),
    actor,
    object: new URL(blocked.uri),
    to: new URL(blocked.uri),
  });
  const activity =
    event.type === "blocked"
      ? block
      : new Undo({
          id: new URL(`${event.uri}/undo`),
          actor,
          object: block,
          to: new URL(blocked.uri),
        });
  await ctx.sendActivity(senderOf(blocker), inboxOf(blocked), activity, {
    orderingKey: `block:${blocker.id}:${blocked.id}`,
  });
}
