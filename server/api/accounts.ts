import { createRoute, z } from "@hono/zod-openapi";
import { registerAccount, updateProfile } from "../services/accounts.ts";
import { createRouter } from "./router.ts";
import {
  Email,
  ErrorBody,
  errorResponses,
  jsonBody,
  jsonResponse,
  OwnAccount,
  Password,
  ProfileFields,
  Username,
} from "./schemas.ts";
import { requireAccount } from "./session.ts";
import { ownAccountJson } from "./shapes.ts";

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

const updateMe = createRoute({
  method: "patch",
  path: "/me",
  tags: ["Accounts"],
  summary: "Change your profile and preferences",
  request: { body: jsonBody(z.object(ProfileFields).strict().openapi("ProfileChanges")) },
  responses: { 200: jsonResponse(OwnAccount, "The updated account"), ...errorResponses },
});

export const accountsApi = createRouter()
  .openapi(register, async (c) => {
    const deps = c.get("deps");
    const account = await registerAccount(deps, c.req.valid("json"));
    const { id, username, handle } = ownAccountJson(deps, account);
    return c.json({ id, username, handle, state: account.state }, 201);
  })
  .openapi(me, (c) => c.json(ownAccountJson(c.get("deps"), requireAccount(c)), 200))
  .openapi(updateMe, async (c) => {
    const deps = c.get("deps");
    const account = await updateProfile(deps, requireAccount(c).id, c.req.valid("json"));
    return c.json(ownAccountJson(deps, account), 200);
  });
