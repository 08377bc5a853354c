import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import {
  offersMachineTranslation,
  translatePostByMachine,
} from "../services/machine-translation.ts";
import type { PostView } from "../services/posts.ts";
import {
  listTranslations,
  readingsOf,
  removeTranslation,
  saveTranslation,
  setTranslator,
} from "../services/translations.ts";
import { type AppEnv, createRouter } from "./router.ts";
import {
  errorResponses,
  IdParam,
  jsonBody,
  jsonResponse,
  MarkdownText,
  RefParam,
  Translation,
} from "./schemas.ts";
import { requireAccount, viewerOf } from "./session.ts";
import { translationJson } from "./shapes.ts";

const tags = ["Content"];

/** A post's language as posts are labelled: ISO 639, two or three letters. */
const TranslationParams = IdParam.extend({
  language: z
    .string()
    .regex(/^[a-z]{2,3}$/)
    .openapi({ param: { name: "language", in: "path" }, example: "fr", description: "ISO 639" }),
});

const TranslatorParams = RefParam.extend({
  id: z.uuid().openapi({ param: { name: "id", in: "path" }, description: "The membership id" }),
});

/** Each view with how it reads for whoever asks: in their language, unless `?original=1`. */
export async function readable<View extends PostView>(
  c: Context<AppEnv>,
  views: View[],
): Promise<View[]> {
  const deps = c.get("deps");
  const readings = await readingsOf(deps.db, views, {
    viewer: viewerOf(c),
    language: c.get("locale"),
    original: c.req.query("original") === "1",
    machineOffered: offersMachineTranslation(deps.config),
  });
  return views.map((view) => ({ ...view, reading: readings.get(view.post.id) }));
}

/** One view, as readable has it. */
export async function readableOne<View extends PostView>(c: Context<AppEnv>, view: View) {
  const [read] = await readable(c, [view]);
  return read ?? view;
}

const list = createRoute({
  method: "get",
  path: "/posts/{id}/translations",
  tags,
  summary: "The translations of a post, event or page",
  request: { params: IdParam },
  responses: {
    200: jsonResponse(z.object({ items: z.array(Translation) }), "Its translations"),
    ...errorResponses,
  },
});

const save = createRoute({
  method: "put",
  path: "/posts/{id}/translations/{language}",
  tags,
  summary: "Add or replace a translation (the author, or a translator the admins appointed)",
  request: {
    params: TranslationParams,
    body: jsonBody(
      z.object({ title: z.string().trim().min(1).max(300), content: MarkdownText }).strict(),
    ),
  },
  responses: { 200: jsonResponse(Translation, "The translation"), ...errorResponses },
});

const remove = createRoute({
  method: "delete",
  path: "/posts/{id}/translations/{language}",
  tags,
  summary: "Remove a translation (the author, or an appointed translator)",
  request: { params: TranslationParams },
  responses: { 204: { description: "Removed" }, ...errorResponses },
});

const machine = createRoute({
  method: "post",
  path: "/posts/{id}/translations/{language}/machine",
  tags,
  summary:
    "Ask the configured machine-translation service for a translation (kept for later readers); 501 where none is configured",
  request: { params: TranslationParams },
  responses: { 200: jsonResponse(Translation, "The translation"), ...errorResponses },
});

const appointment = (method: "put" | "delete") =>
  createRoute({
    method,
    path: "/communities/{ref}/members/{id}/translator",
    tags: ["Members"],
    summary:
      method === "put"
        ? "Appoint an active member as translator (community admins)"
        : "End a member's appointment as translator (community admins)",
    request: { params: TranslatorParams },
    responses: { 204: { description: "Done" }, ...errorResponses },
  });

export const translationsApi = createRouter()
  .openapi(list, async (c) => {
    const deps = c.get("deps");
    const items = await listTranslations(deps, c.req.valid("param").id, viewerOf(c));
    return c.json({ items: items.map((each) => translationJson(deps, each)) }, 200);
  })
  .openapi(save, async (c) => {
    const deps = c.get("deps");
    const { id, language } = c.req.valid("param");
    const saved = await saveTranslation(deps, id, requireAccount(c), language, c.req.valid("json"));
    return c.json(translationJson(deps, saved), 200);
  })
  .openapi(remove, async (c) => {
    const { id, language } = c.req.valid("param");
    await removeTranslation(c.get("deps"), id, requireAccount(c), language);
    return c.body(null, 204);
  })
  .openapi(machine, async (c) => {
    const deps = c.get("deps");
    const { id, language } = c.req.valid("param");
    const made = await translatePostByMachine(deps, id, requireAccount(c), language);
    return c.json(translationJson(deps, made), 200);
  });

for (const method of ["put", "delete"] as const) {
  translationsApi.openapi(appointment(method), async (c) => {
    const { ref, id } = c.req.valid("param");
    await setTranslator(c.get("deps"), ref, requireAccount(c), id, method === "put");
    return c.body(null, 204);
  });
}
