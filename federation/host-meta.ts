import { Hono } from "hono";
import { escapeHtml } from "../server/html.ts";
import { webFingerPath } from "./webfinger-errors.ts";

/**
 * host-meta (RFC 6415), for the older clients that discover WebFinger through it rather than at
 * its well-known address: one `lrdd` template, in XRD and in JRD.
 */
export function hostMeta(publicUrl: URL) {
  const template = `${publicUrl.origin}${webFingerPath}?resource={uri}`;
  const xrd = `<?xml version="1.0" encoding="UTF-8"?>
<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">
  <Link rel="lrdd" template="${escapeHtml(template)}"/>
</XRD>
`;
  return new Hono()
    .get("/.well-known/host-meta", (c) =>
      c.body(xrd, 200, { "content-type": "application/xrd+xml; charset=utf-8" }),
    )
    .get("/.well-known/host-meta.json", (c) => c.json({ links: [{ rel: "lrdd", template }] }));
}
