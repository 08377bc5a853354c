import { createRoute, z } from "@hono/zod-openapi";
import { search } from "../services/search.ts";
import { createRouter } from "./router.ts";
import { errorResponses, jsonResponse, PageQuery, pageOf } from "./schemas.ts";
import { viewerOf } from "./session.ts";

export const Hit = z
  .object({
    kind: z.enum(["discussion", "announcement", "page", "event", "file", "comment", "community"]),
    id: z.uuid(),
    community: z.string(),
    title: z.string(),
    excerpt: z.string(),
    language: z.string().nullable(),
    post: z.uuid().nullable().openapi({ description: "For a comment: its post" }),
    createdAt: z.string(),
  })
  .openapi("SearchHit");

const route = createRoute({
  method: "get",
  path: "/search",
  tags: ["Search"],
  summary: "Full-text search over what you may see, best match first, a page at a time",
  request: {
    query: z.object({
      q: z.string().trim().min(1).max(200),
      kind: Hit.shape.kind.optional(),
      community: z.string().max(300).optional(),
      language: z
        .string()
        .regex(/^[a-z]{2,3}$/)
        .optional(),
      since: z.iso.datetime({ offset: true }).optional(),
      ...PageQuery,
    }),
  },
  responses: { 200: jsonResponse(pageOf(Hit), "A page of results"), ...errorResponses },
});

export const searchApi = createRouter().openapi(route, async (c) => {
  const { since, ...query } = c.req.valid("query");
  const page = await search(c.get("deps"), viewerOf(c), {
    ...query,
    since: since ? new Date(since) : undefined,
  });
  return c.json(
    {
      items: page.items.map(({ rank: _rank, createdAt, ...hit }) => ({
        ...hit,
        createdAt: createdAt.toISOString(),
      })),
      next: page.next,
    },
    200,
  );
});
