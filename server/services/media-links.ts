import type { Account } from "../../db/schema/accounts.ts";
import type { Community } from "../../db/schema/communities.ts";
import type { Config } from "../config.ts";
import type { Deps } from "../deps.ts";
import { type Download, downloadFile, downloadSignedFile, viewFile } from "./files.ts";
import { isPublicToEveryone } from "./privacy.ts";
import { signToken, verifyToken } from "./tokens.ts";

/** The only route of the media origin (MEDIA_URL): a file's bytes. */
export const mediaFileRoute = "/files/:id";

/** Long enough to follow the redirect that carries it, short enough that a shared link dies. */
const signedLinkLifetimeMs = 5 * 60 * 1000;

function mediaFileUrl(mediaUrl: URL, fileId: string, token?: string): string {
  const url = new URL(mediaFileRoute.replace(":id", fileId), mediaUrl);
  if (token) url.searchParams.set("token", token);
  return url.href;
}

/**
 * The link Praxis gives out for a file, in API answers and federated Documents. With a media
 * origin, a file anyone may download is linked there; a members-only one goes through the main
 * origin's download route, which can check the viewer: their cookies do not reach the media origin.
 */
export function downloadUrlOf(
  config: Pick<Config, "publicUrl" | "mediaUrl">,
  file: { id: string; private: boolean },
  community: Pick<Community, "hidden" | "privacy">,
): string {
  if (config.mediaUrl && isPublicToEveryone(community, file)) {
    return mediaFileUrl(config.mediaUrl, file.id);
  }
  return new URL(`/api/v1/files/${file.id}/download`, config.publicUrl).href;
}

/**
 * Where the main origin sends a viewer who may download the file, when the media origin serves
 * the bytes: its media link, signed for this one file unless anyone may download it.
 */
export async function forwardToMedia(
  deps: Deps,
  mediaUrl: URL,
  id: string,
  viewer: Account | null,
): Promise<string | null> {
  const view = await viewFile(deps, id, viewer);
  // A copy of a file shared elsewhere has no bytes here: the main origin sends it on.
  if (view.post.uri) return null;
  if (isPublicToEveryone(view.community, view.file)) return mediaFileUrl(mediaUrl, id);
  const expiresAt = new Date(Date.now() + signedLinkLifetimeMs);
  const token = await signToken(deps.config.secretKey, "download", { sub: id }, expiresAt);
  return mediaFileUrl(mediaUrl, id, token);
}

/** What a media link gives: the file its token was signed for, or one anyone may download. */
export async function downloadFromMedia(
  deps: Deps,
  id: string,
  token: string | undefined,
): Promise<Download> {
  const verified = token ? await verifyToken(deps.config.secretKey, "download", token) : undefined;
  if (verified?.status === "valid" && verified.sub === id) return downloadSignedFile(deps, id);
  return downloadFile(deps, id, null);
}
