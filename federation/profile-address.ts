import type { MiddlewareHandler } from "hono";
import { actorUrl } from "../server/urls.ts";

/** The path of a person's page, `/@name` here or `/@name@host` for a copy of someone elsewhere. */
export const profilePath = "/:profile{@[^/]+}";

const asksForActivityPub = (accept: string | undefined) =>
  /application\/(activity\+json|ld\+json)/.test(accept ?? "");

/**
 * `/@name` is a person's page for browsers, as on Mastodon; a server asking it for
 * ActivityPub is sent to the person's actor, which Fedify answers. A copy of someone elsewhere
 * has its actor on its own server, which is where the page's `uri` points.
 */
export function sendActivityRequestsToActor(publicUrl: URL): MiddlewareHandler {
  return async (c, next) => {
    const name = c.req.param("profile")?.slice(1) ?? "";
    if (!asksForActivityPub(c.req.header("accept")) || name.includes("@")) return next();
    c.header("Vary", "Accept");
    return c.redirect(actorUrl(publicUrl, name), 308);
  };
}
