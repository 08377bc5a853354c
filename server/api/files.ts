import { createRoute, z } from "@hono/zod-openapi";
import { downloadResponse } from "../downloads.ts";
import { downloadFile, listFiles, uploadFile, viewFile } from "../services/files.ts";
import { forwardToMedia } from "../services/media-links.ts";
import { countViewOf } from "./analytics.ts";
import { createRouter } from "./router.ts";
import {
  errorResponses,
  IdParam,
  jsonResponse,
  PageQuery,
  pageOf,
  RefParam,
  SharedFile,
} from "./schemas.ts";
import { requireAccount, viewerOf } from "./session.ts";
import { fileJson } from "./shapes.ts";
import { readable, readableOne } from "./translations.ts";

const tags = ["Files"];

const upload = createRoute({
  method: "post",
  path: "/communities/{ref}/files",
  tags,
  summary:
    "Share a file (members); its type is read from its bytes and checked against an allowlist",
  request: {
    params: RefParam,
    body: {
      required: true,
      content: {
        "multipart/form-data": {
          schema: z.object({
            file: z.instanceof(File).openapi({ type: "string", format: "binary" }),
            title: z.string().trim().max(300).optional(),
            description: z.string().max(20_000).optional(),
            category: z.string().trim().max(100).optional(),
            private: z.enum(["true", "false"]).optional(),
            language: z
              .string()
              .regex(/^[a-z]{2,3}$/)
              .optional(),
          }),
        },
      },
    },
  },
  responses: { 201: jsonResponse(SharedFile, "Shared"), ...errorResponses },
});

const list = createRoute({
  method: "get",
  path: "/communities/{ref}/files",
  tags,
  summary:
    "The community's files, newest first; private ones only for members; each in the reader's language where translated, unless `?original=1`",
  request: {
    params: RefParam,
    query: z.object({ category: z.string().max(100).optional(), ...PageQuery }),
  },
  responses: { 200: jsonResponse(pageOf(SharedFile), "A page of files"), ...errorResponses },
});

const one = createRoute({
  method: "get",
  path: "/files/{id}",
  tags,
  summary: "One file's record, in the reader's language where translated, unless `?original=1`",
  request: { params: IdParam },
  responses: { 200: jsonResponse(SharedFile, "The file"), ...errorResponses },
});

const download = createRoute({
  method: "get",
  path: "/files/{id}/download",
  tags,
  summary: "The file itself, as an attachment",
  description:
    "With a media origin (MEDIA_URL) the bytes are never served here: the answer is a redirect to the file's address there, signed for a few minutes when the file is members-only.",
  request: { params: IdParam },
  responses: {
    200: { description: "The bytes (only without a media origin)" },
    302: {
      description:
        "Its address on the media origin, when there is one; else, for a copy of a file shared elsewhere, its address on its home server",
    },
    ...errorResponses,
  },
});

export const filesApi = createRouter()
  .openapi(upload, async (c) => {
    const deps = c.get("deps");
    const form = c.req.valid("form");
    const view = await uploadFile(deps, c.req.valid("param").ref, requireAccount(c), {
      bytes: new Uint8Array(await form.file.arrayBuffer()),
      filename: form.file.name || "file",
      title: form.title,
      description: form.description,
      category: form.category,
      private: form.private === "true",
      language: form.language,
    });
    return c.json(fileJson(deps, view, viewerOf(c)), 201);
  })
  .openapi(list, async (c) => {
    const deps = c.get("deps");
    const page = await listFiles(deps, c.req.valid("param").ref, viewerOf(c), c.req.valid("query"));
    const items = await readable(c, page.items);
    return c.json(
      { items: items.map((view) => fileJson(deps, view, viewerOf(c))), next: page.next },
      200,
    );
  })
  .openapi(one, async (c) => {
    const deps = c.get("deps");
    const view = await viewFile(deps, c.req.valid("param").id, viewerOf(c));
    return c.json(fileJson(deps, await readableOne(c, view), viewerOf(c)), 200);
  })
  .openapi(download, async (c) => {
    const deps = c.get("deps");
    const { id } = c.req.valid("param");
    const { mediaUrl } = deps.config;
    // A member on another server downloads through their own server, which signs as them.
    const viewer = viewerOf(c) ?? (await deps.federation.signerOf(c.req.raw));
    const onMedia = mediaUrl ? await forwardToMedia(deps, mediaUrl, id, viewer) : null;
    const download = onMedia ?? (await downloadFile(deps, id, viewer));
    await countViewOf(c, { kind: "download", id }, viewer);
    return typeof download === "string" ? c.redirect(download, 302) : downloadResponse(c, download);
  });
