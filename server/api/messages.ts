import { createRoute, z } from "@hono/zod-openapi";
import { maxParticipants } from "../../db/schema/messages.ts";
import type { Deps } from "../deps.ts";
import { blockPerson, listBlocks, unblockPerson } from "../services/messages/blocks.ts";
import {
  type ConversationView,
  listConversations,
  listMessages,
  type MessageView,
  markConversationRead,
  sendMessage,
  startConversation,
  viewConversation,
} from "../services/messages/conversations.ts";
import { createRouter } from "./router.ts";
import {
  Author,
  errorResponses,
  IdParam,
  jsonBody,
  jsonResponse,
  MarkdownText,
  PageQuery,
  pageOf,
} from "./schemas.ts";
import { requireAccount } from "./session.ts";
import { authorJson } from "./shapes.ts";

const tags = ["Direct messages"];

/** `bob` for someone here, `bob@host` (or `@bob@host`) for someone elsewhere. */
const Handle = z.string().trim().min(1).max(300).openapi({ example: "amina_k@praxis.example.org" });

export const Message = z
  .object({
    id: z.uuid(),
    conversation: z.uuid(),
    author: Author,
    content: z.string().openapi({ description: "Sanitised HTML" }),
    source: z.string().openapi({ description: "The Markdown; empty for messages from elsewhere" }),
    createdAt: z.iso.datetime(),
  })
  .openapi("Message");

export const Conversation = z
  .object({
    id: z.uuid(),
    participants: z.array(Author).openapi({ description: "Everyone in it, you included" }),
    unread: z.number().int().openapi({ description: "Messages from others you have not read" }),
    updatedAt: z.iso.datetime(),
    last: Message.nullable(),
  })
  .openapi("Conversation");

const BlockedPerson = z
  .object({ account: Author, since: z.iso.datetime() })
  .openapi("BlockedPerson");

function person(deps: Deps, account: Parameters<typeof authorJson>[1]) {
  const json = authorJson(deps, account);
  if (!json) throw new Error("a message without its author");
  return json;
}

function messageJson(deps: Deps, view: MessageView): z.infer<typeof Message> {
  const { message, author } = view;
  return {
    id: message.id,
    conversation: message.conversationId,
    author: person(deps, author),
    content: message.content,
    source: message.source,
    createdAt: message.createdAt.toISOString(),
  };
}

function conversationJson(deps: Deps, view: ConversationView): z.infer<typeof Conversation> {
  const author = (id: string) => view.participants.find((each) => each.id === id) ?? null;
  const lastAuthor = view.last ? author(view.last.authorId) : null;
  return {
    id: view.conversation.id,
    participants: view.participants.map((each) => person(deps, each)),
    unread: view.unread,
    updatedAt: view.conversation.updatedAt.toISOString(),
    last:
      view.last && lastAuthor
        ? messageJson(deps, { message: view.last, author: lastAuthor })
        : null,
  };
}

const list = createRoute({
  method: "get",
  path: "/conversations",
  tags,
  summary: "Your conversations, the latest first, with their unread counts",
  request: { query: z.object(PageQuery) },
  responses: {
    200: jsonResponse(pageOf(Conversation), "A page of conversations"),
    ...errorResponses,
  },
});

const start = createRoute({
  method: "post",
  path: "/conversations",
  tags,
  summary: "Begin a conversation with people here or on other servers",
  request: {
    body: jsonBody(
      z
        .object({
          to: z
            .array(Handle)
            .min(1)
            .max(maxParticipants - 1),
          body: MarkdownText,
        })
        .strict(),
    ),
  },
  responses: { 201: jsonResponse(Conversation, "The new conversation"), ...errorResponses },
});

const one = createRoute({
  method: "get",
  path: "/conversations/{id}",
  tags,
  summary: "One of your conversations",
  request: { params: IdParam },
  responses: { 200: jsonResponse(Conversation, "The conversation"), ...errorResponses },
});

const messagesOf = createRoute({
  method: "get",
  path: "/conversations/{id}/messages",
  tags,
  summary: "A conversation's messages, newest first",
  request: { params: IdParam, query: z.object(PageQuery) },
  responses: { 200: jsonResponse(pageOf(Message), "A page of messages"), ...errorResponses },
});

const answer = createRoute({
  method: "post",
  path: "/conversations/{id}/messages",
  tags,
  summary: "Write in a conversation",
  request: { params: IdParam, body: jsonBody(z.object({ body: MarkdownText }).strict()) },
  responses: { 201: jsonResponse(Message, "The message"), ...errorResponses },
});

const read = createRoute({
  method: "post",
  path: "/conversations/{id}/read",
  tags,
  summary: "Mark everything in a conversation read",
  request: { params: IdParam },
  responses: { 204: { description: "Read" }, ...errorResponses },
});

const blocked = createRoute({
  method: "get",
  path: "/blocks",
  tags,
  summary: "The people you block",
  responses: {
    200: jsonResponse(z.object({ items: z.array(BlockedPerson) }), "Blocked people"),
    ...errorResponses,
  },
});

const block = createRoute({
  method: "post",
  path: "/blocks",
  tags,
  summary: "Block someone: neither of you can message the other, and their news stops reaching you",
  request: { body: jsonBody(z.object({ handle: Handle }).strict()) },
  responses: { 201: jsonResponse(BlockedPerson, "Blocked"), ...errorResponses },
});

const unblock = createRoute({
  method: "delete",
  path: "/blocks/{handle}",
  tags,
  summary: "Stop blocking someone",
  request: {
    params: z.object({ handle: Handle.openapi({ param: { name: "handle", in: "path" } }) }),
  },
  responses: { 204: { description: "No longer blocked" }, ...errorResponses },
});

export const messagesApi = createRouter()
  .openapi(list, async (c) => {
    const deps = c.get("deps");
    const page = await listConversations(deps, requireAccount(c), c.req.valid("query"));
    return c.json(
      { items: page.items.map((view) => conversationJson(deps, view)), next: page.next },
      200,
    );
  })
  .openapi(start, async (c) => {
    const deps = c.get("deps");
    const view = await startConversation(deps, requireAccount(c), c.req.valid("json"));
    return c.json(conversationJson(deps, view), 201);
  })
  .openapi(one, async (c) => {
    const deps = c.get("deps");
    const view = await viewConversation(deps, requireAccount(c), c.req.valid("param").id);
    return c.json(conversationJson(deps, view), 200);
  })
  .openapi(messagesOf, async (c) => {
    const deps = c.get("deps");
    const page = await listMessages(
      deps,
      requireAccount(c),
      c.req.valid("param").id,
      c.req.valid("query"),
    );
    return c.json(
      { items: page.items.map((view) => messageJson(deps, view)), next: page.next },
      200,
    );
  })
  .openapi(answer, async (c) => {
    const deps = c.get("deps");
    const view = await sendMessage(
      deps,
      requireAccount(c),
      c.req.valid("param").id,
      c.req.valid("json"),
    );
    return c.json(messageJson(deps, view), 201);
  })
  .openapi(read, async (c) => {
    await markConversationRead(c.get("deps"), requireAccount(c), c.req.valid("param").id);
    return c.body(null, 204);
  })
  .openapi(blocked, async (c) => {
    const deps = c.get("deps");
    const rows = await listBlocks(deps, requireAccount(c));
    const items = rows.map((row) => ({
      account: person(deps, row.account),
      since: row.since.toISOString(),
    }));
    return c.json({ items }, 200);
  })
  .openapi(block, async (c) => {
    const deps = c.get("deps");
    const account = await blockPerson(deps, requireAccount(c), c.req.valid("json").handle);
    return c.json({ account: person(deps, account), since: new Date().toISOString() }, 201);
  })
  .openapi(unblock, async (c) => {
    await unblockPerson(c.get("deps"), requireAccount(c), c.req.valid("param").handle);
    return c.body(null, 204);
  });
