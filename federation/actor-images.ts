import { Image } from "@fedify/vocab";
import type { Config } from "../server/config.ts";
import { type ImageKind, imageUrlsOf } from "../server/services/images.ts";

/**
 * One stored size of an avatar or banner as the Image a Person's `icon` or a Group's `image`
 * names (Mastodon and Lemmy show them), or null without one.
 */
export function actorImageOf(
  config: Pick<Config, "publicUrl" | "mediaUrl">,
  kind: ImageKind,
  prefix: string | null,
  size: string,
): Image | null {
  const url = imageUrlsOf(config, kind, prefix)?.[size];
  return url ? new Image({ url: new URL(url), mediaType: "image/webp" }) : null;
}
