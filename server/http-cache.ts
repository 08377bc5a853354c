import { createHash } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "./api/router.ts";

/** What one URL's answer may differ by: the reader's language, and who the reader is. */
const varies = ["Accept-Language", "Cookie", "Authorization"];
const shared = "public, max-age=0, must-revalidate";
const viewersOwn = "private, no-store";

/** Read paths of the API whose answer to a reader without credentials is everyone's. */
export const shareableApiPaths = [
  "/communities/:ref",
  "/communities/:ref/:kind{discussions|announcements|pages|events}",
  "/posts/:id",
  "/posts/:id/comments",
];

/** Server-rendered pages of the same: the directory, a community, a thread. */
export const shareablePagePaths = ["/", "/c/:ref", "/posts/:id"];

const readMethods = new Set(["GET", "HEAD"]);

/** A cookie, a token, or an HTTP signature (a server fetching for its members). */
const credentials = ["authorization", "cookie", "signature", "signature-input"];
const hasCredentials = (c: Context<AppEnv>) =>
  credentials.some((name) => c.req.header(name) !== undefined);

/** Whether an `If-None-Match` names `etag`, compared weakly (RFC 9110 §13.1.2). */
function revalidates(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((tag) => tag.trim() === "*" || opaque(tag) === opaque(etag));
}

/**
 * Lets any HTTP cache keep what a reader without a cookie or a token is answered on these
 * paths: whatever the privacy checks show nobody in particular, they show everyone. Caches
 * must ask again each time (max-age=0), so that a post, an edit or a community turned private
 * shows at once; the weak ETag, a hash of the body, turns the unchanged answer into a 304.
 * Readers with credentials get an answer of their own, which no cache may keep.
 */
export function shareAnonymousReads(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (hasCredentials(c)) return keepPrivate(c);
    if (c.res.status !== 200 || c.res.headers.has("cache-control")) return;
    const body = new Uint8Array(await c.res.clone().arrayBuffer());
    const etag = `W/"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
    c.res.headers.set("ETag", etag);
    c.res.headers.set("Cache-Control", shared);
    varyByReader(c);
    // Hono carries the answer's headers (ETag, Cache-Control, Vary…) over to the 304.
    if (revalidates(c.req.header("if-none-match"), etag))
      c.res = new Response(null, { status: 304 });
  };
}

/**
 * Keeps every read answered to a reader with credentials out of shared caches, unless its
 * route already said it is private.
 */
export function keepViewersAnswersPrivate(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (hasCredentials(c) && readMethods.has(c.req.method)) keepPrivate(c);
  };
}

/*
 * These run once the answer is made, so they set its own headers: `c.header` would now copy
 * the answer into a new one whose body must be streamed, a fifth of a thread's CPU.
 */
function keepPrivate(c: Context<AppEnv>): void {
  if (!c.res.headers.get("cache-control")?.startsWith("private")) {
    c.res.headers.set("Cache-Control", viewersOwn);
  }
  varyByReader(c);
}

/** Adds the reader's headers to the answer's Vary, beside what it varies by already. */
function varyByReader(c: Context<AppEnv>): void {
  const named = (c.res.headers.get("vary") ?? "").split(",").map((name) => name.trim());
  const missing = varies.filter(
    (name) => !named.some((n) => n.toLowerCase() === name.toLowerCase()),
  );
  if (missing.length > 0) {
    c.res.headers.set("Vary", [...named.filter(Boolean), ...missing].join(", "));
  }
}
