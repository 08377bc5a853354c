/**
 * `/c/:ref/:tab?` against a path: the named parts, or null when it does not match. A segment
 * may start with text before its name, as `/@:handle` does.
 */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const wanted = pattern.split("/").filter(Boolean);
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const params: Record<string, string> = {};
  for (const [index, segment] of wanted.entries()) {
    const part = parts[index];
    if (segment.startsWith(":")) {
      const optional = segment.endsWith("?");
      const name = segment.slice(1, optional ? -1 : undefined);
      if (part === undefined) {
        if (optional) continue;
        return null;
      }
      params[name] = part;
    } else if (segment.includes(":")) {
      const [before = "", name = ""] = segment.split(":");
      if (!part?.startsWith(before) || part.length === before.length) return null;
      params[name] = part.slice(before.length);
    } else if (segment !== part) {
      return null;
    }
  }
  return parts.length <= wanted.length ? params : null;
}

/** Same-origin links are followed in the page; others, downloads and new tabs are left alone. */
export function internalTarget(event: MouseEvent): URL | null {
  if (event.defaultPrevented || event.button !== 0) return null;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return null;
  const anchor = (event.target as Element | null)?.closest?.("a");
  if (!anchor || anchor.target || anchor.hasAttribute("download")) return null;
  const url = new URL(anchor.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith("/api/")) return null;
  return url;
}
