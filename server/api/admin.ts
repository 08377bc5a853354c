import { createRoute, z } from "@hono/zod-openapi";
import { accountStates } from "../../db/schema/accounts.ts";
import { decideRegistration, listAccountsByState } from "../services/accounts.ts";
import { inviteToInstance } from "../services/invitations.ts";
import { createRouter } from "./router.ts";
import {
  Email,
  errorResponses,
  Invitation,
  jsonBody,
  jsonResponse,
  OwnAccount,
  PageQuery,
  pageOf,
} from "./schemas.ts";
import { requireAccount } from "./session.ts";
import { invitationJson, ownAccountJson } from "./shapes.ts";

const tags = ["Instance administration"];

const accounts = createRoute({
  method: "get",
  path: "/admin/accounts",
  tags,
  summary: "Accounts by state: the registration approval queue",
  request: { query: z.object({ state: z.enum(accountStates).default("pending"), ...PageQuery }) },
  responses: { 200: jsonResponse(pageOf(OwnAccount), "A page of accounts"), ...errorResponses },
});

const decide = (kind: "approve" | "reject") =>
  createRoute({
    method: "post",
    path: `/admin/accounts/{id}/${kind}`,
    tags,
    summary: kind === "approve" ? "Approve a registration" : "Reject a registration",
    request: { params: z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) }) },
    responses: { 200: jsonResponse(OwnAccount, "The account"), ...errorResponses },
  });

const invite = createRoute({
  method: "post",
  path: "/admin/invitations",
  tags,
  summary: "Invite someone to register on this instance",
  request: { body: jsonBody(z.object({ email: Email }).strict()) },
  responses: { 201: jsonResponse(Invitation, "Invitation sent"), ...errorResponses },
});

export const adminApi = createRouter()
  .openapi(accounts, async (c) => {
    const deps = c.get("deps");
    const { state, ...page } = c.req.valid("query");
    const result = await listAccountsByState(deps, requireAccount(c), state, page);
    return c.json(
      { items: result.items.map((account) => ownAccountJson(deps, account)), next: result.next },
      200,
    );
  })
  .openapi(invite, async (c) => {
    const view = await inviteToInstance(
      c.get("deps"),
      requireAccount(c),
      c.req.valid("json").email,
    );
    return c.json(invitationJson(view), 201);
  });

for (const kind of ["approve", "reject"] as const) {
  adminApi.openapi(decide(kind), async (c) => {
    const deps = c.get("deps");
    const account = await decideRegistration(
      deps,
      requireAccount(c),
      c.req.valid("param").id,
      kind,
    );
    return c.json(ownAccountJson(deps, account), 200);
  });
}
