import { createRoute, z } from "@hono/zod-openapi";
import { createComment, deleteComment, editComment, listComments } from "../services/comments.ts";
import { viewEvent } from "../services/events.ts";
import { viewFile } from "../services/files.ts";
import { setLike } from "../services/likes.ts";
import { createPost, deletePost, listPosts, updatePost, viewPost } from "../services/posts.ts";
import { countViewOf } from "./analytics.ts";
import { createRouter } from "./router.ts";
import {
  AttachmentIds,
  Comment,
  Event,
  errorResponses,
  IdParam,
  jsonBody,
  jsonResponse,
  MarkdownText,
  PageQuery,
  Post,
  pageOf,
  RefParam,
  SharedFile,
} from "./schemas.ts";
import { requireAccount, viewerOf } from "./session.ts";
import { commentJson, eventJson, fileJson, postJson } from "./shapes.ts";
import { readable, readableOne } from "./translations.ts";

const tags = ["Content"];

/** The kinds whose body is only Markdown; events and files have routers of their own. */
type TextKind = "discussion" | "announcement" | "page";
const Language = z
  .string()
  .regex(/^[a-z]{2,3}$/)
  .optional()
  .openapi({ description: "ISO 639 code; detected when absent" });
const Title = z.string().trim().min(1).max(300);

const collections: Record<TextKind, { path: string; summary: string }> = {
  discussion: { path: "discussions", summary: "discussion threads" },
  announcement: {
    path: "announcements",
    summary: "announcements (published by moderators and admins; every member is notified)",
  },
  page: { path: "pages", summary: "resource pages, a tree of topics" },
};

const NewPostBody = z
  .object({
    title: Title,
    content: MarkdownText,
    language: Language,
    parent: z.uuid().optional().openapi({ description: "Pages only: the parent page" }),
    position: z.number().int().min(0).max(100_000).optional(),
    attachments: AttachmentIds.optional(),
  })
  .strict();

const one = createRoute({
  method: "get",
  path: "/posts/{id}",
  tags,
  summary: "One post of any kind; events and files with their own fields",
  request: { params: IdParam },
  responses: {
    200: jsonResponse(z.union([Event, SharedFile, Post]), "The post"),
    ...errorResponses,
  },
});

const update = createRoute({
  method: "patch",
  path: "/posts/{id}",
  tags,
  summary: "Edit (the author), or lock, pin and order (moderators)",
  request: {
    params: IdParam,
    body: jsonBody(
      z
        .object({
          title: Title,
          content: MarkdownText,
          language: Language,
          locked: z.boolean(),
          pinned: z.boolean(),
          position: z.number().int().min(0).max(100_000),
          attachments: AttachmentIds,
        })
        .partial()
        .strict(),
    ),
  },
  responses: { 200: jsonResponse(Post, "The updated post"), ...errorResponses },
});

const remove = createRoute({
  method: "delete",
  path: "/posts/{id}",
  tags,
  summary: "Delete (the author, or any moderator); a tombstone keeps the thread's shape",
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" }, ...errorResponses },
});

const comments = createRoute({
  method: "get",
  path: "/posts/{id}/comments",
  tags,
  summary: "The comments of a post, oldest first; `inReplyTo` nests them",
  request: { params: IdParam },
  responses: {
    200: jsonResponse(z.object({ items: z.array(Comment) }), "The comments"),
    ...errorResponses,
  },
});

const comment = createRoute({
  method: "post",
  path: "/posts/{id}/comments",
  tags,
  summary: "Comment, or reply to a comment",
  request: {
    params: IdParam,
    body: jsonBody(
      z
        .object({ content: MarkdownText, inReplyTo: z.uuid().optional(), language: Language })
        .strict(),
    ),
  },
  responses: { 201: jsonResponse(Comment, "The comment"), ...errorResponses },
});

const editOne = createRoute({
  method: "patch",
  path: "/comments/{id}",
  tags,
  summary: "Edit your comment",
  request: {
    params: IdParam,
    body: jsonBody(z.object({ content: MarkdownText, language: Language }).strict()),
  },
  responses: { 200: jsonResponse(Comment, "The comment"), ...errorResponses },
});

const removeOne = createRoute({
  method: "delete",
  path: "/comments/{id}",
  tags,
  summary: "Delete a comment (the author, or any moderator)",
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" }, ...errorResponses },
});

const likeRoute = (target: "posts" | "comments", method: "post" | "delete") =>
  createRoute({
    method,
    path: `/${target}/{id}/like`,
    tags,
    summary: method === "post" ? "Like (twice counts once)" : "Take back a like",
    request: { params: IdParam },
    responses: {
      200: jsonResponse(z.object({ likeCount: z.number().int() }), "The like count"),
      ...errorResponses,
    },
  });

export const postsApi = createRouter()
  .openapi(one, async (c) => {
    const deps = c.get("deps");
    const { id } = c.req.valid("param");
    const viewer = viewerOf(c);
    const view = await viewPost(deps, id, viewer);
    await countViewOf(c, { kind: "post", id });
    // An event or a file reads as it does under /events or /files, whichever address is asked.
    switch (view.post.kind) {
      case "event":
        return c.json(
          eventJson(deps, await readableOne(c, await viewEvent(deps, id, viewer)), viewer),
          200,
        );
      case "file":
        return c.json(fileJson(deps, await viewFile(deps, id, viewer), viewer), 200);
      default:
        return c.json(postJson(deps, await readableOne(c, view), viewer), 200);
    }
  })
  .openapi(update, async (c) => {
    const deps = c.get("deps");
    const view = await updatePost(
      deps,
      c.req.valid("param").id,
      requireAccount(c),
      c.req.valid("json"),
    );
    return c.json(postJson(deps, view, viewerOf(c)), 200);
  })
  .openapi(remove, async (c) => {
    await deletePost(c.get("deps"), c.req.valid("param").id, requireAccount(c));
    return c.body(null, 204);
  })
  .openapi(comments, async (c) => {
    const deps = c.get("deps");
    const items = await listComments(deps, c.req.valid("param").id, viewerOf(c));
    return c.json({ items: items.map((view) => commentJson(deps, view, viewerOf(c))) }, 200);
  })
  .openapi(comment, async (c) => {
    const deps = c.get("deps");
    const view = await createComment(
      deps,
      c.req.valid("param").id,
      requireAccount(c),
      c.req.valid("json"),
    );
    return c.json(commentJson(deps, view, viewerOf(c)), 201);
  })
  .openapi(editOne, async (c) => {
    const deps = c.get("deps");
    const view = await editComment(
      deps,
      c.req.valid("param").id,
      requireAccount(c),
      c.req.valid("json"),
    );
    return c.json(commentJson(deps, view, viewerOf(c)), 200);
  })
  .openapi(removeOne, async (c) => {
    await deleteComment(c.get("deps"), c.req.valid("param").id, requireAccount(c));
    return c.body(null, 204);
  });

for (const kind of ["discussion", "announcement", "page"] as const) {
  const { path, summary } = collections[kind];
  postsApi
    .openapi(
      createRoute({
        method: "get",
        path: `/communities/{ref}/${path}`,
        tags,
        summary: `The community's ${summary}, newest first`,
        request: { params: RefParam, query: z.object(PageQuery) },
        responses: { 200: jsonResponse(pageOf(Post), "A page of posts"), ...errorResponses },
      }),
      async (c) => {
        const deps = c.get("deps");
        const page = await listPosts(
          deps,
          c.req.valid("param").ref,
          viewerOf(c),
          kind,
          c.req.valid("query"),
        );
        const items = await readable(c, page.items);
        return c.json(
          { items: items.map((view) => postJson(deps, view, viewerOf(c))), next: page.next },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: "post",
        path: `/communities/{ref}/${path}`,
        tags,
        summary: `Publish one of the community's ${summary}`,
        request: { params: RefParam, body: jsonBody(NewPostBody) },
        responses: { 201: jsonResponse(Post, "Published"), ...errorResponses },
      }),
      async (c) => {
        const deps = c.get("deps");
        const view = await createPost(
          deps,
          c.req.valid("param").ref,
          requireAccount(c),
          kind,
          c.req.valid("json"),
        );
        return c.json(postJson(deps, view, viewerOf(c)), 201);
      },
    );
}

for (const target of ["posts", "comments"] as const) {
  for (const method of ["post", "delete"] as const) {
    postsApi.openapi(likeRoute(target, method), async (c) => {
      const likeCount = await setLike(
        c.get("deps"),
        { kind: target === "posts" ? "post" : "comment", id: c.req.valid("param").id },
        requireAccount(c),
        method === "post",
      );
      return c.json({ likeCount }, 200);
    });
  }
}
