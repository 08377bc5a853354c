import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../api/router.ts";
import { DomainError } from "../errors.ts";

/** Methods whose requests carry no body: the Fetch API refuses one on them. */
const bodiless = new Set(["GET", "HEAD"]);

/**
 * Refuses bodies over `maxSize` bytes before anything reads them. Reads and HEADs pass
 * untouched: Hono's check asks for the request's body, which makes @hono/node-server build
 * a whole `Request` (headers, an `AbortSignal`) for each of them, for nothing.
 */
export function limitBody(maxSize: number): MiddlewareHandler<AppEnv> {
  const limit = bodyLimit({
    maxSize,
    onError: () => {
      throw new DomainError("payload_too_large");
    },
  });
  return (c, next) => (bodiless.has(c.req.method) ? next() : limit(c, next));
}
