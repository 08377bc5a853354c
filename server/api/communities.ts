import { createRoute, z } from "@hono/zod-openapi";
import { listAuditEntries } from "../services/audit.ts";
import {
  administerCommunity,
  createCommunity,
  listDirectory,
  updateCommunity,
  viewCommunity,
  viewCommunityProfile,
} from "../services/communities.ts";
import { joinCommunity, leaveCommunity } from "../services/membership.ts";
import { countViewOf } from "./analytics.ts";
import { DirectoryFilterQuery } from "./directory.ts";
import { createRouter } from "./router.ts";
import {
  AuditEntry,
  Community,
  CommunityFields,
  errorResponses,
  jsonBody,
  jsonResponse,
  MembershipState,
  PageQuery,
  pageOf,
  RefParam,
  Slug,
} from "./schemas.ts";
import { requireAccount, viewerOf } from "./session.ts";
import { auditPageJson, communityJson } from "./shapes.ts";

const tags = ["Communities"];

const list = createRoute({
  method: "get",
  path: "/communities",
  tags,
  summary: "The directory of communities you may see",
  request: {
    query: z.object({
      q: z.string().trim().max(200).optional(),
      parent: z
        .string()
        .max(300)
        .optional()
        .openapi({ description: "List the working groups of this community" }),
      ...DirectoryFilterQuery,
      ...PageQuery,
    }),
  },
  responses: { 200: jsonResponse(pageOf(Community), "A page of communities"), ...errorResponses },
});

const create = createRoute({
  method: "post",
  path: "/communities",
  tags,
  summary: "Create a community, or a working group of `parent`",
  request: {
    body: jsonBody(
      z
        .object({ slug: Slug, parent: z.string().max(300).optional(), ...CommunityFields })
        .strict()
        .openapi("NewCommunity"),
    ),
  },
  responses: { 201: jsonResponse(Community, "Created"), ...errorResponses },
});

const read = createRoute({
  method: "get",
  path: "/communities/{ref}",
  tags,
  summary: "One community",
  request: { params: RefParam },
  responses: { 200: jsonResponse(Community, "The community"), ...errorResponses },
});

export const CommunityProfile = Community.extend({
  contentReadable: z.boolean().openapi({
    description:
      "Whether you may read its posts, files, events and members; when not, show only this",
  }),
}).openapi("CommunityProfile");

const profile = createRoute({
  method: "get",
  path: "/communities/{ref}/profile",
  tags,
  summary: "One community's public face: what anyone who may see it is shown",
  request: { params: RefParam },
  responses: { 200: jsonResponse(CommunityProfile, "The community"), ...errorResponses },
});

const update = createRoute({
  method: "patch",
  path: "/communities/{ref}",
  tags,
  summary: "Change a community's settings (owners and admins)",
  request: {
    params: RefParam,
    body: jsonBody(
      z
        .object({ ...CommunityFields, archived: z.boolean() })
        .partial()
        .strict()
        .openapi("CommunityChanges"),
    ),
  },
  responses: { 200: jsonResponse(Community, "The updated community"), ...errorResponses },
});

const join = createRoute({
  method: "post",
  path: "/communities/{ref}/join",
  tags,
  summary: "Join, or ask to join, a community",
  request: {
    params: RefParam,
    body: {
      required: false,
      content: {
        "application/json": {
          schema: z.object({ message: z.string().trim().max(5_000).optional() }).strict(),
        },
      },
    },
  },
  responses: {
    200: jsonResponse(z.object({ state: MembershipState }), "Your membership"),
    ...errorResponses,
  },
});

const leave = createRoute({
  method: "post",
  path: "/communities/{ref}/leave",
  tags,
  summary: "Leave a community (and its working groups)",
  request: { params: RefParam },
  responses: { 204: { description: "Left" }, ...errorResponses },
});

const audit = createRoute({
  method: "get",
  path: "/communities/{ref}/audit",
  tags,
  summary: "The log of administrative decisions (owners and admins)",
  request: { params: RefParam, query: z.object(PageQuery) },
  responses: { 200: jsonResponse(pageOf(AuditEntry), "A page of decisions"), ...errorResponses },
});

export const communitiesApi = createRouter()
  .openapi(list, async (c) => {
    const deps = c.get("deps");
    const page = await listDirectory(deps, viewerOf(c), c.req.valid("query"));
    return c.json(
      { items: page.items.map((view) => communityJson(deps, view)), next: page.next },
      200,
    );
  })
  .openapi(create, async (c) => {
    const deps = c.get("deps");
    const view = await createCommunity(deps, requireAccount(c), c.req.valid("json"));
    return c.json(communityJson(deps, view), 201);
  })
  .openapi(read, async (c) => {
    const deps = c.get("deps");
    return c.json(
      communityJson(deps, await viewCommunity(deps, c.req.valid("param").ref, viewerOf(c))),
      200,
    );
  })
  .openapi(profile, async (c) => {
    const deps = c.get("deps");
    const view = await viewCommunityProfile(deps, c.req.valid("param").ref, viewerOf(c));
    await countViewOf(c, { kind: "community", id: view.community.id });
    return c.json({ ...communityJson(deps, view), contentReadable: view.contentReadable }, 200);
  })
  .openapi(update, async (c) => {
    const deps = c.get("deps");
    const view = await updateCommunity(
      deps,
      c.req.valid("param").ref,
      requireAccount(c),
      c.req.valid("json"),
    );
    return c.json(communityJson(deps, view), 200);
  })
  .openapi(join, async (c) => {
    const { message } = c.req.valid("json");
    const membership = await joinCommunity(
      c.get("deps"),
      c.req.valid("param").ref,
      requireAccount(c),
      message,
    );
    return c.json({ state: membership.state }, 200);
  })
  .openapi(leave, async (c) => {
    await leaveCommunity(c.get("deps"), c.req.valid("param").ref, requireAccount(c));
    return c.body(null, 204);
  })
  .openapi(audit, async (c) => {
    const deps = c.get("deps");
    const { community } = await administerCommunity(
      deps,
      c.req.valid("param").ref,
      requireAccount(c),
    );
    const page = await listAuditEntries(deps.db, community.id, c.req.valid("query"));
    return c.json(auditPageJson(page), 200);
  });
