import { createRoute, z } from "@hono/zod-openapi";
import { accountStates } from "../../db/schema/accounts.ts";
import { privacyLevels } from "../../db/schema/communities.ts";
import type { DomainBlock } from "../../db/schema/federation.ts";
import { decideRegistration, listAccountsByState } from "../services/accounts.ts";
import { listDormantCommunities } from "../services/community-health.ts";
import { blockDomain, listDomainBlocks, unblockDomain } from "../services/domains.ts";
import { listInstanceAuditEntries } from "../services/instance-audit.ts";
import { listHostedCommunities } from "../services/instance-communities.ts";
import { inviteToInstance, listInstanceInvitations } from "../services/invitations.ts";
import { refOf } from "../urls.ts";
import { createRouter } from "./router.ts";
import {
  AuditEntry,
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
import { auditPageJson, invitationJson, ownAccountJson } from "./shapes.ts";

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

const invitationsSent = createRoute({
  method: "get",
  path: "/admin/invitations",
  tags,
  summary: "Invitations to register here that are not used yet, newest first",
  request: { query: z.object(PageQuery) },
  responses: { 200: jsonResponse(pageOf(Invitation), "A page of invitations"), ...errorResponses },
});

const Domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9.-]+(:\d{1,5})?$/, { error: "domain" })
  .openapi({ example: "spam.example", description: "host[:port], as in handles" });

const DomainBlockShape = z
  .object({ domain: z.string(), reason: z.string(), createdAt: z.string() })
  .openapi("DomainBlock");

export const DomainBlocks = z.object({
  items: z.array(DomainBlockShape),
  allowlist: z.array(z.string()).openapi({
    description: "FEDERATION_ALLOWLIST: when not empty, the only servers federated with",
  }),
});

const listBlocks = createRoute({
  method: "get",
  path: "/admin/domain-blocks",
  tags,
  summary: "Servers this instance does not federate with",
  responses: { 200: jsonResponse(DomainBlocks, "Blocks"), ...errorResponses },
});

const addBlock = createRoute({
  method: "post",
  path: "/admin/domain-blocks",
  tags,
  summary: "Stop federating with a server: its activities are refused, nothing is sent to it",
  request: {
    body: jsonBody(z.object({ domain: Domain, reason: z.string().max(500).optional() }).strict()),
  },
  responses: { 201: jsonResponse(DomainBlockShape, "The block"), ...errorResponses },
});

const removeBlock = createRoute({
  method: "delete",
  path: "/admin/domain-blocks/{domain}",
  tags,
  summary: "Federate with a blocked server again",
  request: {
    params: z.object({ domain: Domain.openapi({ param: { name: "domain", in: "path" } }) }),
  },
  responses: { 204: { description: "Unblocked" }, ...errorResponses },
});

const DormantCommunity = z
  .object({
    ref: z.string(),
    name: z.string(),
    lastActivityAt: z.string(),
    pendingRequests: z.number().int(),
    oldestRequestAt: z.string().nullable(),
    oldestRequestDays: z.number().int().nullable(),
    activityPlannedFor: z.iso.date().nullable().openapi({
      description: "The plan date of its last reactivation, passed without new content",
    }),
  })
  .openapi("DormantCommunity");

const dormant = createRoute({
  method: "get",
  path: "/admin/communities/dormant",
  tags,
  summary: "Communities with no new post or comment for INACTIVITY_DAYS, longest dormant first",
  request: { query: z.object(PageQuery) },
  responses: {
    200: jsonResponse(pageOf(DormantCommunity), "A page of dormant communities"),
    ...errorResponses,
  },
});

export const HostedCommunity = z
  .object({
    ref: z.string(),
    name: z.string(),
    privacy: z.enum(privacyLevels),
    hidden: z.boolean(),
    archived: z.boolean(),
    parent: z.string().nullable().openapi({ description: "A working group's parent, by id" }),
    members: z.number().int().openapi({ description: "Active members" }),
    lastActivityAt: z.string(),
    createdAt: z.string(),
  })
  .openapi("HostedCommunity");

const hosted = createRoute({
  method: "get",
  path: "/admin/communities",
  tags,
  summary: "Every community hosted here, hidden and archived ones too, newest first",
  request: { query: z.object(PageQuery) },
  responses: {
    200: jsonResponse(pageOf(HostedCommunity), "A page of communities"),
    ...errorResponses,
  },
});

const audit = createRoute({
  method: "get",
  path: "/admin/audit",
  tags,
  summary: "The instance administrator's decisions that concern no community, newest first",
  request: { query: z.object(PageQuery) },
  responses: { 200: jsonResponse(pageOf(AuditEntry), "A page of decisions"), ...errorResponses },
});

const blockJson = (block: DomainBlock) => ({ ...block, createdAt: block.createdAt.toISOString() });

export const adminApi = createRouter()
  .openapi(audit, async (c) => {
    const page = await listInstanceAuditEntries(
      c.get("deps"),
      requireAccount(c),
      c.req.valid("query"),
    );
    return c.json(auditPageJson(page), 200);
  })
  .openapi(invitationsSent, async (c) => {
    const page = await listInstanceInvitations(
      c.get("deps"),
      requireAccount(c),
      c.req.valid("query"),
    );
    const items = page.items.map((invitation) => invitationJson({ invitation, community: null }));
    return c.json({ items, next: page.next }, 200);
  })
  .openapi(hosted, async (c) => {
    const page = await listHostedCommunities(
      c.get("deps"),
      requireAccount(c),
      c.req.valid("query"),
    );
    const items = page.items.map(({ community, members }) => ({
      ref: refOf(community),
      name: community.name,
      privacy: community.privacy,
      hidden: community.hidden,
      archived: community.archived,
      parent: community.parentId,
      members,
      lastActivityAt: community.lastActivityAt.toISOString(),
      createdAt: community.createdAt.toISOString(),
    }));
    return c.json({ items, next: page.next }, 200);
  })
  .openapi(dormant, async (c) => {
    const page = await listDormantCommunities(
      c.get("deps"),
      requireAccount(c),
      c.req.valid("query"),
    );
    const items = page.items.map(({ community, oldestRequestAt, ...counts }) => ({
      ref: refOf(community),
      name: community.name,
      lastActivityAt: community.lastActivityAt.toISOString(),
      activityPlannedFor: community.activityPlannedFor,
      oldestRequestAt: oldestRequestAt?.toISOString() ?? null,
      ...counts,
    }));
    return c.json({ items, next: page.next }, 200);
  })
  .openapi(listBlocks, async (c) => {
    const blocks = await listDomainBlocks(c.get("deps"), requireAccount(c));
    const { federationAllowlist } = c.get("deps").config;
    return c.json({ items: blocks.map(blockJson), allowlist: federationAllowlist }, 200);
  })
  .openapi(addBlock, async (c) => {
    const { domain, reason } = c.req.valid("json");
    return c.json(
      blockJson(await blockDomain(c.get("deps"), requireAccount(c), domain, reason)),
      201,
    );
  })
  .openapi(removeBlock, async (c) => {
    await unblockDomain(c.get("deps"), requireAccount(c), c.req.valid("param").domain);
    return c.body(null, 204);
  })
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
