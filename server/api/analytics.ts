import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { tablesFor } from "../../client/routes/analytics-tables.ts";
import type { Account } from "../../db/schema/accounts.ts";
import { DomainError } from "../errors.ts";
import { translator } from "../i18n.ts";
import { clientAddress } from "../limits/client-address.ts";
import { assertInstanceAdmin } from "../services/accounts.ts";
import { countView, isCountable, type ViewedItem } from "../services/analytics/counting.ts";
import { tableAsCsv } from "../services/analytics/csv.ts";
import {
  analyticsOf,
  dateRange,
  pendingAgeBuckets,
  type Scope,
} from "../services/analytics/queries.ts";
import { viewCommunity } from "../services/communities.ts";
import { mayReadCommunityFigures } from "../services/privacy.ts";
import { type AppEnv, createRouter } from "./router.ts";
import { errorResponses, jsonResponse, RefParam } from "./schemas.ts";
import { requireAccount, viewerOf } from "./session.ts";

/**
 * Counts the view a request makes, when it is a person reading (services/analytics/counting.ts).
 * The API is where a community page, a thread or a file is read, whether the server renders
 * the page (it reads the same calls, passing the reader's connection on) or the app moves to it.
 */
export async function countViewOf(
  c: Context<AppEnv>,
  item: ViewedItem,
  account: Account | null = viewerOf(c),
): Promise<void> {
  if (c.req.method !== "GET") return;
  const userAgent = c.req.header("user-agent");
  if (!isCountable(userAgent, c.req.header("sec-purpose") ?? c.req.header("purpose"))) return;
  const deps = c.get("deps");
  const address = clientAddress(c, deps.config.trustedProxies);
  await countView(deps, item, { accountId: account?.id ?? null, address, userAgent });
}

const tags = ["Analytics"];

const Day = z.iso.date().openapi({ example: "2026-11-30" });
const RangeQuery = { from: Day.optional(), to: Day.optional() };

const Group = z.object({ group: z.string(), members: z.number(), activeMembers: z.number() });
const Breakdown = z
  .object({
    groups: z.array(Group),
    other: z.object({ members: z.number(), activeMembers: z.number() }).nullable(),
  })
  .openapi("AnalyticsBreakdown", {
    description: "People counted by a profile detail; groups under 5 people are folded into other",
  });

const AnalyticsShape = z
  .object({
    range: z.object({ from: Day, to: Day }),
    totals: z.object({
      members: z.number(),
      activeMembers: z.number(),
      views: z.number(),
      downloads: z.number(),
      posts: z.number(),
      comments: z.number(),
      pendingRequests: z.number(),
    }),
    weekly: z.array(
      z.object({
        week: Day,
        views: z.number(),
        downloads: z.number(),
        joined: z.number(),
        left: z.number(),
      }),
    ),
    monthly: z.array(z.object({ month: z.string(), posts: z.number(), comments: z.number() })),
    pendingAges: z.array(z.object({ bucket: z.enum(pendingAgeBuckets), requests: z.number() })),
    countries: Breakdown,
    professions: Breakdown,
    items: z
      .array(
        z.object({
          id: z.string(),
          kind: z.string(),
          title: z.string(),
          views: z.number(),
          downloads: z.number(),
        }),
      )
      .optional(),
    communities: z
      .array(
        z.object({
          ref: z.string(),
          name: z.string(),
          members: z.number(),
          activeMembers: z.number(),
          views: z.number(),
          downloads: z.number(),
          pendingRequests: z.number(),
        }),
      )
      .optional(),
    partners: z
      .array(
        z.object({
          ref: z.string(),
          name: z.string(),
          server: z.string(),
          views: z.number(),
          downloads: z.number(),
          joins: z.number(),
          activeMembers: z.number(),
          countedTo: Day,
        }),
      )
      .optional()
      .openapi({ description: "On a hub: partners' shared counts of their last 30 days" }),
  })
  .openapi("Analytics");

const csvResponse = {
  200: {
    content: { "text/csv": { schema: z.string() } },
    description: "UTF-8 with a byte order mark; `,` in English, `;` in the other languages",
  },
  ...errorResponses,
};

const communityTables = tablesFor("community").map((table) => table.name) as [string, ...string[]];
const instanceTables = tablesFor("instance").map((table) => table.name) as [string, ...string[]];

const communityAnalytics = createRoute({
  method: "get",
  path: "/communities/{ref}/analytics",
  tags,
  summary: "A community's analytics, for its admins and the instance administrator",
  request: { params: RefParam, query: z.object(RangeQuery) },
  responses: { 200: jsonResponse(AnalyticsShape, "The figures"), ...errorResponses },
});

const communityCsv = createRoute({
  method: "get",
  path: "/communities/{ref}/analytics.csv",
  tags,
  summary: "One table of a community's analytics, as CSV",
  request: {
    params: RefParam,
    query: z.object({ ...RangeQuery, table: z.enum(communityTables) }),
  },
  responses: csvResponse,
});

const instanceAnalytics = createRoute({
  method: "get",
  path: "/admin/analytics",
  tags,
  summary: "The instance's analytics and every community's figures, for its administrator",
  request: { query: z.object(RangeQuery) },
  responses: { 200: jsonResponse(AnalyticsShape, "The figures"), ...errorResponses },
});

const instanceCsv = createRoute({
  method: "get",
  path: "/admin/analytics.csv",
  tags,
  summary: "One table of the instance's analytics, as CSV",
  request: { query: z.object({ ...RangeQuery, table: z.enum(instanceTables) }) },
  responses: csvResponse,
});

/** A community's figures are for its admins, and for the instance administrator. */
async function communityScope(c: Context<AppEnv>, ref: string): Promise<Scope> {
  const viewer = requireAccount(c);
  const { community, relation } = await viewCommunity(c.get("deps"), ref, viewer);
  if (!mayReadCommunityFigures(viewer, relation)) throw new DomainError("admin_only");
  return { communityId: community.id };
}

function instanceScope(c: Context<AppEnv>): Scope {
  assertInstanceAdmin(requireAccount(c));
  return "instance";
}

async function csvAnswer(
  c: Context<AppEnv>,
  scope: Scope,
  query: { from?: string | undefined; to?: string | undefined; table: string },
  name: string,
) {
  const deps = c.get("deps");
  const range = dateRange(query.from, query.to, new Date());
  const kind = scope === "instance" ? "instance" : "community";
  const table = tablesFor(kind).find((each) => each.name === query.table);
  if (!table) throw new DomainError("not_found");
  const locale = c.get("locale");
  const csv = tableAsCsv(
    table,
    await analyticsOf(deps, scope, range),
    translator(locale, "client"),
    locale,
  );
  const filename = `${name}-${table.name}-${range.from}-${range.to}.csv`.replace(/[^\w.@-]/g, "_");
  return c.body(csv, 200, {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${filename}"`,
    "Cache-Control": "private, no-store",
  });
}

export const analyticsApi = createRouter()
  .openapi(communityAnalytics, async (c) => {
    const scope = await communityScope(c, c.req.valid("param").ref);
    const { from, to } = c.req.valid("query");
    const analytics = await analyticsOf(c.get("deps"), scope, dateRange(from, to, new Date()));
    return c.json(analytics, 200);
  })
  .openapi(communityCsv, async (c) => {
    const { ref } = c.req.valid("param");
    return csvAnswer(c, await communityScope(c, ref), c.req.valid("query"), ref);
  })
  .openapi(instanceAnalytics, async (c) => {
    const scope = instanceScope(c);
    const { from, to } = c.req.valid("query");
    const analytics = await analyticsOf(c.get("deps"), scope, dateRange(from, to, new Date()));
    return c.json(analytics, 200);
  })
  .openapi(instanceCsv, (c) => csvAnswer(c, instanceScope(c), c.req.valid("query"), "instance"));
