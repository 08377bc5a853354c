import { and, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import type { Executor } from "../../../db/index.ts";
import { type Account, accounts } from "../../../db/schema/accounts.ts";
import type { Message } from "../../../db/schema/messages.ts";
import type { Deps } from "../../deps.ts";
import { composeMail } from "../../mail/compose.ts";
import { sendMailQuietly } from "../mail.ts";
import { notify, unsubscribeUrl } from "../notifications.ts";

/** Where a person reads a conversation here. */
export const conversationPageUrl = (deps: Deps, conversationId: string) =>
  new URL(`/messages/${conversationId}`, deps.config.publicUrl).href;

/** Each recipient here hears of a new message in the app (unless they block its author). */
export async function noticeOfMessage(
  tx: Executor,
  message: Message,
  author: Account,
  recipientIds: readonly string[],
): Promise<void> {
  for (const accountId of recipientIds) {
    await notify(tx, {
      accountId,
      kind: "direct_message",
      communityId: null,
      subjectId: message.conversationId,
      actorId: author.id,
      data: { author: author.displayName || author.username },
    });
  }
}

/**
 * Once the message is stored, the recipients here who asked for a mail about each piece of
 * news get one in their language; digests leave messages out, as the app shows them.
 */
export async function mailMessage(
  deps: Deps,
  message: Message,
  author: Account,
  recipientIds: readonly string[],
): Promise<void> {
  if (recipientIds.length === 0) return;
  const recipients = await deps.db
    .select({ id: accounts.id, email: accounts.email, locale: accounts.locale })
    .from(accounts)
    .where(
      and(
        inArray(accounts.id, [...recipientIds]),
        isNull(accounts.domain),
        eq(accounts.emailNotifications, "each"),
        isNotNull(accounts.email),
      ),
    );
  const params = {
    author: author.displayName || author.username,
    text: message.source || message.content.replace(/<[^>]*>/g, " ").trim(),
    instance: deps.config.publicUrl.host,
  };
  const link = conversationPageUrl(deps, message.conversationId);
  for (const recipient of recipients) {
    const unsubscribe = await unsubscribeUrl(deps, recipient.id);
    await sendMailQuietly(
      deps,
      composeMail("direct_message", recipient, params, link, unsubscribe),
    );
  }
}
