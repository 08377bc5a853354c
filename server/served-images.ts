import type { Handler } from "hono";
import type { AppEnv } from "./api/router.ts";
import type { Deps } from "./deps.ts";
import { DomainError } from "./errors.ts";
import { imageKeyPattern } from "./services/images.ts";

/** Where avatars and banners are served, on the media origin when there is one (imageUrl). */
export const imageRoute = "/images/:key";

/**
 * One resized avatar or banner. Only the names of resized sizes are served: an uploaded file's
 * key has no size in it, so its bytes never come out here. Every upload gets a new key, so a
 * size never changes and browsers may keep it for a year.
 */
export function serveImage(deps: Deps): Handler<AppEnv> {
  return async (c) => {
    const key = c.req.param("key") ?? "";
    if (!imageKeyPattern.test(key)) throw new DomainError("not_found");
    const bytes = await deps.storage.get(key).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") throw new DomainError("not_found");
      throw error;
    });
    return c.body(bytes, 200, {
      "Content-Type": "image/webp",
      "Content-Length": String(bytes.byteLength),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "public, max-age=31536000, immutable",
    });
  };
}
