import { createRoute, z } from "@hono/zod-openapi";
import type { Deps } from "../deps.ts";
import {
  banMember,
  changeRole,
  decideJoinRequest,
  listMembers,
  type MemberView,
  removeMember,
} from "../services/membership.ts";
import { mayAppointTranslators, type Relation } from "../services/privacy.ts";
import { translatorsAmong } from "../services/translations.ts";
import { PeopleFilterQuery } from "./profiles.ts";
import { createRouter } from "./router.ts";
import {
  errorResponses,
  jsonBody,
  jsonResponse,
  Member,
  MembershipState,
  PageQuery,
  pageOf,
  RefParam,
  Role,
} from "./schemas.ts";
import { requireAccount, viewerOf } from "./session.ts";
import { memberJson } from "./shapes.ts";

const tags = ["Members"];
const MemberParams = RefParam.extend({
  id: z.uuid().openapi({ param: { name: "id", in: "path" }, description: "The membership id" }),
});
const Reason = z.object({ reason: z.string().trim().max(5_000).optional() }).strict();

const list = createRoute({
  method: "get",
  path: "/communities/{ref}/members",
  tags,
  summary: "Members; other states than active (the pending queue…) for admins only",
  request: {
    params: RefParam,
    query: z.object({
      state: MembershipState.optional(),
      role: Role.optional(),
      ...PeopleFilterQuery,
      ...PageQuery,
    }),
  },
  responses: { 200: jsonResponse(pageOf(Member), "A page of members"), ...errorResponses },
});

const decision = (path: "approve" | "reject") =>
  createRoute({
    method: "post",
    path: `/communities/{ref}/members/{id}/${path}`,
    tags,
    summary: path === "approve" ? "Approve a join request" : "Reject a join request, with a reason",
    request: {
      params: MemberParams,
      body: { required: false, content: { "application/json": { schema: Reason } } },
    },
    responses: { 200: jsonResponse(Member, "The member"), ...errorResponses },
  });

const update = createRoute({
  method: "patch",
  path: "/communities/{ref}/members/{id}",
  tags,
  summary: "Change a member's role, or ban them",
  request: {
    params: MemberParams,
    body: jsonBody(
      z.union([
        z.object({ role: Role }).strict(),
        z
          .object({ state: z.literal("banned"), reason: z.string().trim().max(5_000).optional() })
          .strict(),
      ]),
    ),
  },
  responses: { 200: jsonResponse(Member, "The member"), ...errorResponses },
});

const remove = createRoute({
  method: "delete",
  path: "/communities/{ref}/members/{id}",
  tags,
  summary: "Remove a member (or lift a ban), with a reason for the log",
  request: {
    params: MemberParams,
    body: { required: false, content: { "application/json": { schema: Reason } } },
  },
  responses: { 204: { description: "Removed" }, ...errorResponses },
});

/** The listed members the admins appointed as translators, asked only of those admins. */
async function translatorsOf(deps: Deps, members: MemberView[], relation: Relation) {
  const [first] = members;
  if (!first || !mayAppointTranslators(relation)) return undefined;
  const accounts = members.map((view) => view.membership.accountId);
  return translatorsAmong(deps.db, first.membership.communityId, accounts);
}

/** Who changed a membership: the services let only a community's admins do it. */
const actingAdmin: Relation = { state: "active", role: "admin" };

export const membersApi = createRouter()
  .openapi(list, async (c) => {
    const deps = c.get("deps");
    const { page, relation } = await listMembers(
      deps,
      c.req.valid("param").ref,
      viewerOf(c),
      c.req.valid("query"),
    );
    const viewer = viewerOf(c);
    const translators = await translatorsOf(deps, page.items, relation);
    return c.json(
      {
        items: page.items.map((view) => memberJson(deps, view, viewer, relation, translators)),
        next: page.next,
      },
      200,
    );
  })
  .openapi(update, async (c) => {
    const deps = c.get("deps");
    const { ref, id } = c.req.valid("param");
    const body = c.req.valid("json");
    const viewer = requireAccount(c);
    const view =
      "role" in body
        ? await changeRole(deps, ref, viewer, id, body.role)
        : await banMember(deps, ref, viewer, id, body.reason);
    return c.json(memberJson(deps, view, viewer, actingAdmin), 200);
  })
  .openapi(remove, async (c) => {
    const { ref, id } = c.req.valid("param");
    const { reason } = c.req.valid("json");
    await removeMember(c.get("deps"), ref, requireAccount(c), id, reason);
    return c.body(null, 204);
  });

for (const kind of ["approve", "reject"] as const) {
  membersApi.openapi(decision(kind), async (c) => {
    const deps = c.get("deps");
    const { ref, id } = c.req.valid("param");
    const { reason } = c.req.valid("json");
    const viewer = requireAccount(c);
    const view = await decideJoinRequest(deps, ref, viewer, id, kind, reason);
    return c.json(memberJson(deps, view, viewer, actingAdmin), 200);
  });
}
