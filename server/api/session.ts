import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Account } from "../../db/schema/accounts.ts";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { readerLocale } from "../i18n.ts";
import { resolveSession, type Session } from "../services/sessions.ts";
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

type SessionResolver = (deps: Deps, token: string) => Promise<Session | null>;

/**
 * A resolver that finds each token's session once. Server-side rendering makes several API
 * calls for one page (the reader, their unread count, the screen's data), all for the same
 * reader: it passes one of these in the calls' environment, which no request can set.
 */
export function sessionsOfOnePage(): SessionResolver {
  const known = new Map<string, Promise<Session | null>>();
  return (deps, token) => {
    const found = known.get(token) ?? resolveSession(deps, token);
    known.set(token, found);
    return found;
  };
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
    const resolve = (c.env as { sessions?: SessionResolver } | undefined)?.sessions;
    const token = bearer ?? cookie;
    const session = token ? await (resolve ?? resolveSession)(deps, token) : null;
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
