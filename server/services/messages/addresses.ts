import type { Conversation, Message } from "../../../db/schema/messages.ts";

/**
 * The ActivityPub ids of conversations and messages. One that came from another server keeps
 * the id it came with; one begun here is named under this server's address, so that an answer
 * pointing at it (by `context` or `inReplyTo`) finds it again.
 */
const conversationPath = "/conversations/";
const messagePath = "/direct-messages/";

export const conversationUri = (publicUrl: URL, conversation: Pick<Conversation, "id" | "uri">) =>
  conversation.uri ?? new URL(`${conversationPath}${conversation.id}`, publicUrl).href;

export const messageUri = (publicUrl: URL, message: Pick<Message, "id" | "uri">) =>
  message.uri ?? new URL(`${messagePath}${message.id}`, publicUrl).href;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The id of a conversation or message here that `uri` names, if it names one here. */
function localIdIn(publicUrl: URL, uri: string, path: string): string | null {
  const url = URL.canParse(uri) ? new URL(uri) : null;
  if (url?.origin !== publicUrl.origin || !url.pathname.startsWith(path)) return null;
  const id = url.pathname.slice(path.length);
  return uuidPattern.test(id) ? id : null;
}

export const localConversationIdIn = (publicUrl: URL, uri: string) =>
  localIdIn(publicUrl, uri, conversationPath);

export const localMessageIdIn = (publicUrl: URL, uri: string) =>
  localIdIn(publicUrl, uri, messagePath);
