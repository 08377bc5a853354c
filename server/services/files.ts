import { randomUUID } from "node:crypto";
import { basename, extname } from "node:path";
import { and, eq, isNull, sql } from "drizzle-orm";
import { fileTypeFromBuffer } from "file-type";
import { type Account, accounts } from "../../db/schema/accounts.ts";
import { communities } from "../../db/schema/communities.ts";
import { type FileDetails, fileDetails } from "../../db/schema/files.ts";
import { postColumns, posts } from "../../db/schema/posts.ts";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { afterCursor, cursorOrder, type Page, type PageRequest, toPage } from "../pagination.ts";
import { viewCommunity } from "./communities.ts";
import { isJsonDocument } from "./json-documents.ts";
import { assertMayRead, assertMayWrite, createPost, type PostView, viewPost } from "./posts.ts";
import { isPublicToEveryone, postsReadableBy } from "./privacy.ts";

/** Documents, images, audio, video and archives, as their bytes (not their names) say. */
const allowedMediaTypes = new Set([
  "application/pdf",
  "application/rtf",
  "application/msword",
  "application/vnd.ms-excel",
  "application/vnd.ms-powerpoint",
  "application/x-cfb",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  "application/vnd.oasis.opendocument.text",
  "application/vnd.oasis.opendocument.spreadsheet",
  "application/vnd.oasis.opendocument.presentation",
  "application/epub+zip",
  "image/jpeg",
  "image/png",
  "image/gif",
  "image/webp",
  "image/avif",
  "image/heic",
  "audio/mpeg",
  "audio/ogg",
  "audio/wav",
  "audio/x-wav",
  "audio/mp4",
  "audio/x-m4a",
  "audio/aac",
  "audio/flac",
  "audio/x-flac",
  "audio/webm",
  "video/mp4",
  "video/webm",
  "video/ogg",
  "video/quicktime",
  "video/x-matroska",
  "application/zip",
  "application/x-7z-compressed",
  "application/gzip",
  "application/x-tar",
]);

/** Plain-text formats have no signature to sniff; they are taken when the bytes are clean UTF-8. */
const textFormats: Record<string, string> = {
  ".txt": "text/plain",
  ".csv": "text/csv",
  ".md": "text/markdown",
};

function isCleanText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The media type the bytes really have, if it is one we accept. */
export async function sniffMediaType(bytes: Uint8Array, filename: string): Promise<string> {
  const detected = await fileTypeFromBuffer(bytes);
  if (detected) {
    if (allowedMediaTypes.has(detected.mime)) return detected.mime;
    throw new DomainError("file_type_not_allowed", { type: detected.mime });
  }
  const textType = textFormats[extname(filename).toLowerCase()];
  if (textType && isCleanText(bytes)) return textType;
  throw new DomainError("file_type_not_allowed", { type: extname(filename) || "unknown" });
}

export interface Upload {
  bytes: Uint8Array;
  filename: string;
  title?: string | undefined;
  description?: string | undefined;
  category?: string | undefined;
  private?: boolean | undefined;
  language?: string | undefined;
}

export interface FileView extends PostView {
  file: FileDetails;
}

/** "annual_report-2026.pdf" reads (and is found) as "annual report 2026". */
function titleFrom(filename: string): string {
  return (
    basename(filename, extname(filename))
      .replace(/[_.-]+/g, " ")
      .trim() || filename
  );
}

/** Keeps the bytes first and removes them again if the database refuses the record. */
export async function uploadFile(
  deps: Deps,
  ref: string,
  viewer: Account,
  upload: Upload,
): Promise<FileView> {
  if (upload.bytes.byteLength > deps.config.uploadLimitBytes) {
    throw new DomainError("file_too_large", {
      limit: Math.round(deps.config.uploadLimitBytes / 1024 / 1024),
    });
  }
  const { community, relation } = await viewCommunity(deps, ref, viewer);
  assertMayWrite(community, relation, "file");
  const mediaType = await sniffMediaType(upload.bytes, upload.filename);
  // Served from the main origin, JSON could pass for an ActivityPub document living there.
  if (!deps.config.mediaUrl && isJsonDocument(upload.bytes)) {
    throw new DomainError("json_upload_needs_media_origin");
  }
  const storageKey = randomUUID();
  let file: FileDetails | undefined;
  await deps.storage.put(storageKey, upload.bytes);
  try {
    const view = await createPost(
      deps,
      ref,
      viewer,
      "file",
      {
        title: upload.title || titleFrom(upload.filename),
        content: upload.description ?? "",
        language: upload.language,
      },
      async (tx, post) => {
        [file] = await tx
          .insert(fileDetails)
          .values({
            postId: post.id,
            category: upload.category?.trim() ?? "",
            private: upload.private ?? false,
            filename: upload.filename,
            mediaType,
            size: upload.bytes.byteLength,
            storageKey,
          })
          .returning();
      },
    );
    if (!file) throw new Error("file insert returned nothing");
    return { ...view, file };
  } catch (error) {
    await deps.storage.delete(storageKey);
    throw error;
  }
}

/** A file as the viewer may see it: private files exist only for active members. */
export async function viewFile(deps: Deps, id: string, viewer: Account | null): Promise<FileView> {
  const view = await viewPost(deps, id, viewer);
  const [file] = await deps.db.select().from(fileDetails).where(eq(fileDetails.postId, id));
  if (view.post.kind !== "file" || !file) throw new DomainError("post_not_found");
  return { ...view, file };
}

export async function listFiles(
  deps: Deps,
  ref: string,
  viewer: Account | null,
  query: PageRequest & { category?: string | undefined },
): Promise<Page<FileView>> {
  const { community, relation } = await viewCommunity(deps, ref, viewer);
  assertMayRead(community, relation, viewer);
  const rows = await deps.db
    .select({ post: postColumns, author: accounts, file: fileDetails })
    .from(posts)
    .innerJoin(fileDetails, eq(fileDetails.postId, posts.id))
    .innerJoin(communities, eq(communities.id, posts.communityId))
    .leftJoin(accounts, eq(accounts.id, posts.authorId))
    .where(
      and(
        eq(posts.communityId, community.id),
        isNull(posts.deletedAt),
        postsReadableBy(viewer),
        query.category ? eq(fileDetails.category, query.category) : undefined,
        afterCursor(posts.createdAt, posts.id, query.cursor),
      ),
    )
    .orderBy(...cursorOrder(posts.createdAt, posts.id))
    .limit(query.limit + 1);
  const page = toPage(rows, query.limit, (row) => row.post);
  return { items: page.items.map((row) => ({ ...row, community, relation })), next: page.next };
}

export type Download =
  | { file: FileDetails; bytes: Uint8Array<ArrayBuffer>; homeUrl?: never }
  | { file: FileDetails; homeUrl: string; bytes?: never };

/** The bytes of a file the viewer may see, counting the download. */
export async function downloadFile(
  deps: Deps,
  id: string,
  viewer: Account | null,
): Promise<Download> {
  const view = await viewFile(deps, id, viewer);
  // A members-only copy of a file shared elsewhere: fetched from its home as this member.
  if (view.post.uri && viewer && !isPublicToEveryone(view.community, view.file)) {
    if (view.post.deletedAt) throw new DomainError("post_deleted");
    const bytes = await deps.federation.fetchFileAs(viewer, view.file.storageKey);
    return { file: view.file, bytes };
  }
  return deliver(deps, view);
}

/** The bytes of a file whoever asks: for links signed after the viewer was checked. */
export async function downloadSignedFile(deps: Deps, id: string): Promise<Download> {
  const [row] = await deps.db
    .select({ post: postColumns, file: fileDetails })
    .from(posts)
    .innerJoin(fileDetails, eq(fileDetails.postId, posts.id))
    .where(eq(posts.id, id));
  if (!row) throw new DomainError("post_not_found");
  return deliver(deps, row);
}

/** Bytes that may go out, counted; for a copy of a file shared elsewhere, its home address. */
async function deliver(
  deps: Deps,
  { post, file }: Pick<FileView, "post" | "file">,
): Promise<Download> {
  if (post.deletedAt) throw new DomainError("post_deleted");
  // A copy of a file shared in a community elsewhere is fetched from its home server.
  if (post.uri) return { file, homeUrl: file.storageKey };
  const bytes = await deps.storage.get(file.storageKey);
  // Uploaded before JSON was refused, or while a media origin served it: still not from here.
  if (!deps.config.mediaUrl && isJsonDocument(bytes)) {
    throw new DomainError("json_upload_needs_media_origin");
  }
  await deps.db
    .update(fileDetails)
    .set({ downloads: sql`${fileDetails.downloads} + 1` })
    .where(eq(fileDetails.postId, post.id));
  return { file, bytes };
}
