import { createRoute, z } from "@hono/zod-openapi";
import { DomainError } from "../errors.ts";
import { countsToShare, SharedCounts } from "../services/analytics/shared-counts.ts";
import { listDirectory } from "../services/communities.ts";
import { directoryFacets } from "../services/network-directory.ts";
import { createRouter } from "./router.ts";
import {
  Community,
  CountryCode,
  errorResponses,
  jsonResponse,
  LanguageTag,
  PageQuery,
  Privacy,
  pageOf,
  Topic,
} from "./schemas.ts";
import { viewerOf } from "./session.ts";
import { communityJson } from "./shapes.ts";

const tags = ["Communities"];

/** What a directory can be narrowed to: here and in `GET /communities`. */
export const DirectoryFilterQuery = {
  topic: Topic.optional(),
  language: LanguageTag.optional().openapi({ description: "`pt` also finds `pt-BR`" }),
  country: CountryCode.optional(),
  privacy: Privacy.optional(),
  activity: z
    .enum(["active", "inactive"])
    .optional()
    .openapi({ description: "Whether it had new content within a year" }),
};

const published = createRoute({
  method: "get",
  path: "/directory",
  tags,
  summary: "The communities this server lists, as it publishes them to other servers",
  request: { query: z.object({ ...DirectoryFilterQuery, ...PageQuery }) },
  responses: { 200: jsonResponse(pageOf(Community), "A page of communities"), ...errorResponses },
});

const FacetCounts = z.array(z.object({ value: z.string(), count: z.number().int() }));

export const DirectoryFacets = z
  .object({ topics: FacetCounts, languages: FacetCounts, countries: FacetCounts })
  .openapi("DirectoryFilters");

const facets = createRoute({
  method: "get",
  path: "/directory/filters",
  tags,
  summary: "The topics, languages and countries the directory you see can be filtered by",
  responses: {
    200: jsonResponse(DirectoryFacets, "How many communities have each, most common first"),
    ...errorResponses,
  },
});

const sharedCounts = createRoute({
  method: "get",
  path: "/directory/counts",
  tags,
  summary:
    "Each listed community's counts of the last 30 days, for hubs; 404 unless SHARE_ANALYTICS_WITH_HUB is on",
  responses: {
    200: jsonResponse(
      SharedCounts,
      "Views, downloads, joins and active members per community (its Group's id), up to `to`",
    ),
    ...errorResponses,
  },
});

export const directoryApi = createRouter()
  .openapi(published, async (c) => {
    const deps = c.get("deps");
    const page = await listDirectory(deps, null, { ...c.req.valid("query"), onlyHere: true });
    return c.json(
      { items: page.items.map((view) => communityJson(deps, view)), next: page.next },
      200,
    );
  })
  .openapi(facets, async (c) => c.json(await directoryFacets(c.get("deps"), viewerOf(c)), 200))
  .openapi(sharedCounts, async (c) => {
    const deps = c.get("deps");
    if (!deps.config.shareAnalyticsWithHub) throw new DomainError("not_found");
    return c.json(await countsToShare(deps), 200);
  });
