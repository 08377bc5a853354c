import { randomUUID } from "node:crypto";
import { getLogger } from "@logtape/logtape";
import sharp from "sharp";
import type { Config } from "../config.ts";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";

const logger = getLogger(["praxis", "images"]);

/** A resized copy: its name in storage keys and URLs, and the box it fills (cropped to cover). */
export interface ImageSize {
  name: string;
  width: number;
  height: number;
}

/** Square avatars: 48 for lists and bylines, 96 for those on dense screens, 256 for profiles. */
export const avatarSizes = [
  { name: "48", width: 48, height: 48 },
  { name: "96", width: 96, height: 96 },
  { name: "256", width: 256, height: 256 },
] as const satisfies readonly ImageSize[];

/** A 4:1 strip across the community's page: the small one for phones, the large for desktops. */
export const bannerSizes = [
  { name: "640x160", width: 640, height: 160 },
  { name: "1280x320", width: 1280, height: 320 },
] as const satisfies readonly ImageSize[];

export type ImageKind = "avatar" | "banner";
const sizesOf = { avatar: avatarSizes, banner: bannerSizes } as const;

/**
 * More pixels than any phone camera's photo (50 MP), fewer than would let a small file that
 * declares a huge canvas (a decompression bomb) take gigabytes of memory to decode.
 */
const maxInputPixels = 50_000_000;

/** Raster formats people take photos or draw logos in; SVG, TIFF and PDF are not decoded. */
const acceptedFormats = new Set(["jpeg", "png", "webp", "gif", "heif"]);

/** A storage key of one resized image: its upload's prefix and the size's name. */
export const imageKeyPattern =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[0-9x]+$/;

const keyOf = (prefix: string, size: ImageSize) => `${prefix}-${size.name}`;

/**
 * Decoding is the only test of what the bytes are: a declared type or a file name says
 * nothing. A canvas over the pixel limit is refused from its header, before it is decoded.
 */
function refusalOf(error: unknown): DomainError {
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) {
    return new DomainError("image_too_many_pixels", { limit: maxInputPixels / 1_000_000 });
  }
  logger.info("Refused an image that does not decode: {message}", { message });
  return new DomainError("not_an_image");
}

/**
 * Each size as WebP, turned upright by its EXIF orientation; sharp writes no metadata unless
 * asked to, so the EXIF block (camera, time, GPS position) is left behind.
 */
export async function resizeImage(
  bytes: Uint8Array,
  sizes: readonly ImageSize[],
): Promise<Map<ImageSize, Buffer>> {
  const input = sharp(bytes, { limitInputPixels: maxInputPixels, failOn: "error" });
  try {
    const { format } = await input.metadata();
    if (!acceptedFormats.has(format)) throw new Error(`unsupported image format ${format}`);
    const resized = await Promise.all(
      sizes.map((size) =>
        input
          .clone()
          .rotate()
          .resize(size.width, size.height, { fit: "cover", position: "attention" })
          .webp({ quality: 80, effort: 4 })
          .toBuffer(),
      ),
    );
    return new Map(sizes.map((size, index) => [size, resized[index] as Buffer]));
  } catch (error) {
    throw refusalOf(error);
  }
}

/** Stores every size of an upload under a new prefix, which the caller records. */
export async function storeImage(deps: Deps, kind: ImageKind, bytes: Uint8Array): Promise<string> {
  const limit = deps.config.imageUploadLimitBytes;
  if (bytes.byteLength > limit) {
    throw new DomainError("image_too_large", { limit: Math.round(limit / 1024 / 1024) });
  }
  const resized = await resizeImage(bytes, sizesOf[kind]);
  const prefix = randomUUID();
  const stored: string[] = [];
  try {
    for (const [size, webp] of resized) {
      await deps.storage.put(keyOf(prefix, size), webp);
      stored.push(keyOf(prefix, size));
    }
  } catch (error) {
    await Promise.all(stored.map((key) => deps.storage.delete(key)));
    throw error;
  }
  return prefix;
}

/** Removes every size of an upload no record names any more. */
export async function discardImage(deps: Deps, kind: ImageKind, prefix: string | null) {
  if (!prefix) return;
  await Promise.all(sizesOf[kind].map((size) => deps.storage.delete(keyOf(prefix, size))));
}

/**
 * Records a new image (or none) with `record`, which answers the prefix it replaced; the old
 * sizes go once the record no longer names them, the new ones if recording fails.
 */
export async function replaceImage<T>(
  deps: Deps,
  kind: ImageKind,
  bytes: Uint8Array | null,
  record: (prefix: string | null) => Promise<{ replaced: string | null; result: T }>,
): Promise<T> {
  const prefix = bytes ? await storeImage(deps, kind, bytes) : null;
  let recorded: { replaced: string | null; result: T };
  try {
    recorded = await record(prefix);
  } catch (error) {
    await discardImage(deps, kind, prefix);
    throw error;
  }
  await discardImage(deps, kind, recorded.replaced);
  return recorded.result;
}

/** Where one stored size is served: the media origin when there is one, else this one. */
export function imageUrl(config: Pick<Config, "publicUrl" | "mediaUrl">, key: string): string {
  return new URL(`/images/${key}`, config.mediaUrl ?? config.publicUrl).href;
}

/** Each size's URL by its name (`{ "48": …, "96": …, "256": … }`), or null without an image. */
export function imageUrlsOf(
  config: Pick<Config, "publicUrl" | "mediaUrl">,
  kind: ImageKind,
  prefix: string | null,
): Record<string, string> | null {
  if (!prefix) return null;
  return Object.fromEntries(
    sizesOf[kind].map((size) => [size.name, imageUrl(config, keyOf(prefix, size))]),
  );
}
