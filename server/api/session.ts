import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Account } from "../../db/schema/accounts.ts";
import { DomainError } from "../errors.ts";
import { readerLocale } from "../i18n.ts";
import { resolveSession } from "../services/sessions.ts";
import type { AppEnv } from "./router.ts";

export const sessionCookie = "praxis_session";

function bearerToken(header: string | undefined): string | undefined {
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Whether another site made the browser send this request. A form posted from a page of ours
 * says `Origin: null` (our pages send no referrer), so the browser's own Sec-Fetch-Site,
 * which no page can set, is believed first; the origin decides where a client sends none.
 */
export function isCrossSite(c: Context<AppEnv>): boolean {
  const site = c.req.header("sec-fetch-site");
  if (site) return site === "cross-site" || site === "same-site";
  const origin = c.req.header("origin");
  if (!origin) return false;
  const allowed = [c.get("deps").config.publicUrl.origin, new URL(c.req.url).origin];
  return !allowed.includes(origin);
}

/**
 * Finds who is asking, from a Bearer token or the session cookie, and the language to
 * answer in. Cookie-authenticated writes from other sites are refused.
 */
export function sessionMiddleware(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const deps = c.get("deps");
    const bearer = bearerToken(c.req.header("authorization"));
    const cookie = bearer ? undefined : getCookie(c, sessionCookie);
    const session =
      bearer || cookie ? await resolveSession(deps, (bearer ?? cookie) as string) : null;
    c.set("session", session);
    c.set("locale", readerLocale(c, session?.account.locale));
    if (session && cookie && !safeMethods.has(c.req.method) && isCrossSite(c)) {
      throw new DomainError("cross_site_request");
    }
    await next();
  };
}

export function viewerOf(c: Context<AppEnv>): Account | null {
  return c.get("session")?.account ?? null;
}

export function requireAccount(c: Context<AppEnv>): Account {
  const account = viewerOf(c);
  if (!account) throw new DomainError("not_signed_in");
  return account;
}

export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: Date): void {
  setCookie(c, sessionCookie, token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: c.get("deps").config.publicUrl.protocol === "https:",
    path: "/",
    expires: expiresAt,
  });
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, sessionCookie, { path: "/" });
}
