import type { MiddlewareHandler } from "hono";
import { maxNesting, nestsDeeperThan } from "./json-nesting.ts";

/**
 * Refuses a delivery nested deeper than `maxNesting` before Fedify parses it: jsonld's
 * recursion would overflow the stack on a few kilobytes of brackets and answer 500. The
 * body is read from a copy; Fedify reads the request itself afterwards. Its size is bounded
 * already, by the body limit before this.
 */
export function refuseDeepNesting(): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== "POST") return next();
    if (nestsDeeperThan(await c.req.raw.clone().text(), maxNesting)) {
      return c.text(`JSON nested deeper than ${maxNesting} levels`, 400);
    }
    await next();
  };
}
