import { createRoute, z } from "@hono/zod-openapi";
import { clientAddress } from "../limits/client-address.ts";
import { authenticate } from "../services/accounts.ts";
import { closeSession, openSession } from "../services/sessions.ts";
import { createRouter } from "./router.ts";
import { ErrorBody, errorResponses, jsonBody, jsonResponse, OwnAccount } from "./schemas.ts";
import { clearSessionCookie, setSessionCookie } from "./session.ts";
import { ownAccountJson } from "./shapes.ts";

const signIn = createRoute({
  method: "post",
  path: "/sessions",
  tags: ["Sessions"],
  summary: "Sign in: sets an HttpOnly cookie and returns a Bearer token",
  request: {
    body: jsonBody(
      z
        .object({
          login: z.string().min(1).max(254).openapi({ description: "Username or e-mail" }),
          password: z.string().min(1).max(1024),
        })
        .openapi("SignIn"),
    ),
  },
  responses: {
    200: jsonResponse(z.object({ token: z.string(), account: OwnAccount }), "Signed in"),
    ...errorResponses,
    429: jsonResponse(
      ErrorBody,
      "Too many failed sign-ins from this client, or for this account from it; see Retry-After",
    ),
  },
});

const signOut = createRoute({
  method: "delete",
  path: "/sessions",
  tags: ["Sessions"],
  summary: "Sign out: revokes the current token and clears the cookie",
  responses: { 204: { description: "Signed out" }, ...errorResponses },
});

export const sessionsApi = createRouter()
  .openapi(signIn, async (c) => {
    const deps = c.get("deps");
    const { login, password } = c.req.valid("json");
    const client = clientAddress(c, deps.config.trustedProxies);
    const account = await authenticate(deps, login, password, client);
    const { token, expiresAt } = await openSession(deps, account.id);
    setSessionCookie(c, token, expiresAt);
    return c.json({ token, account: ownAccountJson(deps, account) }, 200);
  })
  .openapi(signOut, async (c) => {
    const session = c.get("session");
    if (session) await closeSession(c.get("deps"), session.id);
    clearSessionCookie(c);
    return c.body(null, 204);
  });
