import type { Context } from "hono";
import type { Download } from "./services/files.ts";

/** RFC 6266 filename, with an ASCII fallback for old clients. */
function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/**
 * A download as HTTP, on either origin: a copy of a file shared elsewhere redirects to its home
 * server; bytes go out as an attachment that no browser sniffs, shows inline or runs as a page,
 * whatever a member uploaded.
 */
export function downloadResponse(c: Context, download: Download): Response {
  if (download.homeUrl !== undefined) return c.redirect(download.homeUrl, 302);
  const { file, bytes } = download;
  return c.body(bytes, 200, {
    "Content-Type": file.mediaType,
    "Content-Length": String(bytes.byteLength),
    "Content-Disposition": contentDisposition(file.filename),
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private, max-age=0",
  });
}
