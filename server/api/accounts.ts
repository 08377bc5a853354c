import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { DomainError } from "../errors.ts";
import { clientAddress } from "../limits/client-address.ts";
import { contentChoices, deleteAccount } from "../services/account-deletion.ts";
import { changePassword, registerAccount, updateProfile } from "../services/accounts.ts";
import { listMemberCommunities } from "../services/communities.ts";
import { pendingEmailOf, requestEmailChange } from "../services/email-change.ts";
import { requestPasswordReset } from "../services/password-reset.ts";
import type { Session } from "../services/sessions.ts";
import { type AppEnv, createRouter } from "./router.ts";
import {
  Community,
  Email,
  ErrorBody,
  errorResponses,
  jsonBody,
  jsonResponse,
  OwnAccount,
  PageQuery,
  Password,
  ProfileFields,
  pageOf,
  Username,
} from "./schemas.ts";
import { clearSessionCookie, requireAccount } from "./session.ts";
import { communityJson, ownAccountJson } from "./shapes.ts";

const Registration = z
  .object({
    username: Username,
    email: Email,
    password: Password,
    invitation: z
      .string()
      .max(2000)
      .optional()
      .openapi({ description: "Token from an invitation link" }),
    ...ProfileFields,
  })
  .strict()
  .openapi("Registration");

const register = createRoute({
  method: "post",
  path: "/accounts",
  tags: ["Accounts"],
  summary: "Create an account (the first one becomes the instance administrator)",
  request: { body: jsonBody(Registration) },
  responses: {
    201: jsonResponse(
      z.object({ id: z.uuid(), username: z.string(), handle: z.string(), state: z.string() }),
      "Created",
    ),
    ...errorResponses,
    429: jsonResponse(ErrorBody, "Too many accounts created from this client; see Retry-After"),
  },
});

const me = createRoute({
  method: "get",
  path: "/me",
  tags: ["Accounts"],
  summary: "The signed-in account",
  responses: { 200: jsonResponse(OwnAccount, "The account"), ...errorResponses },
});

const myCommunities = createRoute({
  method: "get",
  path: "/me/communities",
  tags: ["Accounts"],
  summary: "The communities you are an active member of, newest first",
  request: { query: z.object(PageQuery) },
  responses: { 200: jsonResponse(pageOf(Community), "A page of communities"), ...errorResponses },
});

const updateMe = createRoute({
  method: "patch",
  path: "/me",
  tags: ["Accounts"],
  summary: "Change your profile and preferences",
  request: { body: jsonBody(z.object(ProfileFields).strict().openapi("ProfileChanges")) },
  responses: { 200: jsonResponse(OwnAccount, "The updated account"), ...errorResponses },
});

const CurrentPassword = z
  .string()
  .min(1)
  .max(1024)
  .openapi({ description: "The current password" });

const askPasswordReset = createRoute({
  method: "post",
  path: "/password-resets",
  tags: ["Accounts"],
  summary: "Mail a link to set a new password (answered alike whether the address exists or not)",
  request: { body: jsonBody(z.object({ email: Email }).strict().openapi("PasswordResetRequest")) },
  responses: {
    202: jsonResponse(
      z.object({ accepted: z.literal(true) }),
      "If an account has this address, a link valid for one hour was mailed to it",
    ),
    ...errorResponses,
    429: jsonResponse(ErrorBody, "Too many reset requests from this client; see Retry-After"),
  },
});

const newPassword = createRoute({
  method: "put",
  path: "/me/password",
  tags: ["Accounts"],
  summary: "Change your password; every other session of the account ends",
  request: {
    body: jsonBody(
      z.object({ current: CurrentPassword, password: Password }).strict().openapi("PasswordChange"),
    ),
  },
  responses: {
    204: { description: "Changed" },
    ...errorResponses,
    429: jsonResponse(ErrorBody, "Too many wrong passwords; see Retry-After"),
  },
});

export const EmailAddresses = z
  .object({
    email: z.string(),
    pending: z
      .string()
      .nullable()
      .openapi({ description: "The address being confirmed, while its link is open" }),
  })
  .openapi("EmailAddresses");

const myEmail = createRoute({
  method: "get",
  path: "/me/email",
  tags: ["Accounts"],
  summary: "Your e-mail address, and the one you asked to move to while its link is open",
  responses: { 200: jsonResponse(EmailAddresses, "The addresses"), ...errorResponses },
});

const newEmail = createRoute({
  method: "post",
  path: "/me/email",
  tags: ["Accounts"],
  summary: "Ask to change your e-mail address: it changes once the link mailed to it is opened",
  request: {
    body: jsonBody(
      z.object({ email: Email, password: CurrentPassword }).strict().openapi("EmailChange"),
    ),
  },
  responses: {
    202: jsonResponse(z.object({ pending: z.string() }), "A confirmation link was mailed"),
    ...errorResponses,
    429: jsonResponse(ErrorBody, "Too many wrong passwords; see Retry-After"),
  },
});

const removeMe = createRoute({
  method: "delete",
  path: "/me",
  tags: ["Accounts"],
  summary: "Delete your account, keeping your writing anonymised or deleting it",
  request: {
    body: jsonBody(
      z
        .object({ password: CurrentPassword, content: z.enum(contentChoices) })
        .strict()
        .openapi("AccountDeletion"),
    ),
  },
  responses: {
    204: { description: "Deleted; the session ends" },
    ...errorResponses,
    429: jsonResponse(ErrorBody, "Too many wrong passwords; see Retry-After"),
  },
});

function sessionOf(c: Context<AppEnv>): Session {
  const session = c.get("session");
  if (!session) throw new DomainError("not_signed_in");
  return session;
}

const clientOf = (c: Context<AppEnv>) => clientAddress(c, c.get("deps").config.trustedProxies);

export const accountsApi = createRouter()
  .openapi(register, async (c) => {
    const deps = c.get("deps");
    const account = await registerAccount(deps, c.req.valid("json"));
    const { id, username, handle } = ownAccountJson(deps, account);
    return c.json({ id, username, handle, state: account.state }, 201);
  })
  .openapi(me, (c) => c.json(ownAccountJson(c.get("deps"), requireAccount(c)), 200))
  .openapi(myCommunities, async (c) => {
    const deps = c.get("deps");
    const page = await listMemberCommunities(deps, requireAccount(c), c.req.valid("query"));
    return c.json(
      { items: page.items.map((view) => communityJson(deps, view)), next: page.next },
      200,
    );
  })
  .openapi(updateMe, async (c) => {
    const deps = c.get("deps");
    const account = await updateProfile(deps, requireAccount(c).id, c.req.valid("json"));
    return c.json(ownAccountJson(deps, account), 200);
  })
  .openapi(askPasswordReset, async (c) => {
    await requestPasswordReset(c.get("deps"), c.req.valid("json").email);
    return c.json({ accepted: true as const }, 202);
  })
  .openapi(newPassword, async (c) => {
    await changePassword(c.get("deps"), sessionOf(c), c.req.valid("json"), clientOf(c));
    return c.body(null, 204);
  })
  .openapi(myEmail, async (c) => {
    const account = requireAccount(c);
    const pending = await pendingEmailOf(c.get("deps").db, account);
    return c.json({ email: account.email ?? "", pending }, 200);
  })
  .openapi(newEmail, async (c) => {
    const change = c.req.valid("json");
    await requestEmailChange(c.get("deps"), sessionOf(c).account, change, clientOf(c));
    return c.json({ pending: change.email }, 202);
  })
  .openapi(removeMe, async (c) => {
    await deleteAccount(c.get("deps"), sessionOf(c).account, c.req.valid("json"), clientOf(c));
    clearSessionCookie(c);
    return c.body(null, 204);
  });
