import type { Context, MiddlewareHandler } from "hono";
import { renderError } from "../server/api/errors.ts";
import type { AppEnv } from "../server/api/router.ts";
import { DomainError } from "../server/errors.ts";

export const webFingerPath = "/.well-known/webfinger";

/**
 * Fedify refuses a missing or malformed `resource` in plain text, and WebFinger clients read
 * JSON. Wraps the federation middleware, so it goes before it.
 */
export const answerMalformedWebFingerInJson: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (c.res.status === 400) {
    c.res = renderError(
      new DomainError("invalid_input", {}, [{ field: "resource", problem: "invalid" }]),
      c,
    );
  }
};

/**
 * What Fedify passes on, a name nobody holds or one the viewer may not see alike, answers JSON
 * here rather than reaching the client's HTML page. Goes after the federation middleware.
 */
export function answerUnknownWebFingerInJson(c: Context<AppEnv>): Response {
  return renderError(new DomainError("not_found"), c);
}
