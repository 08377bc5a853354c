import { Hono, type MiddlewareHandler } from "hono";
import { renderError } from "./api/errors.ts";
import type { AppEnv } from "./api/router.ts";
import { IdParam } from "./api/schemas.ts";
import type { Deps } from "./deps.ts";
import { downloadResponse } from "./downloads.ts";
import { DomainError } from "./errors.ts";
import { imageRoute, serveImage } from "./served-images.ts";
import { downloadFromMedia, mediaFileRoute } from "./services/media-links.ts";

/**
 * The media origin: file bytes, avatars and banners, and nothing else (no API, no actors, no
 * WebFinger), so that nothing a member uploads is ever served where it could pass for a
 * document of the main origin.
 */
function createMediaApp(deps: Deps) {
  const app = new Hono<AppEnv>();
  app.onError(renderError);
  app.notFound((c) => renderError(new DomainError("not_found"), c));
  app.get(mediaFileRoute, async (c) => {
    const param = IdParam.safeParse(c.req.param());
    if (!param.success) throw new DomainError("not_found");
    return downloadResponse(c, await downloadFromMedia(deps, param.data.id, c.req.query("token")));
  });
  app.get(imageRoute, serveImage(deps));
  return app;
}

/**
 * Hands the media origin's requests to the media app. One process answers both origins: a
 * request is the media origin's when its Host is MEDIA_URL's, as the reverse proxy that
 * forwards both host names to Praxis sends it.
 */
export function answerMediaOrigin(deps: Deps): MiddlewareHandler {
  const { mediaUrl } = deps.config;
  if (!mediaUrl) return (_c, next) => next();
  const media = createMediaApp(deps);
  return async (c, next) =>
    new URL(c.req.url).host === mediaUrl.host ? media.fetch(c.req.raw) : next();
}
