/**
 * Where `next` leads, as a path of this server, or `/` if it leads elsewhere. It is resolved
 * with the URL parser browsers use, so whatever they read as another host (`/\evil`, a tab
 * or newline inside `//evil`, `https:evil`) is seen as such here too.
 */
export function pathOnThisServer(next: string | undefined, publicUrl: URL): string {
  if (!next) return "/";
  let url: URL;
  try {
    url = new URL(next, publicUrl);
  } catch {
    return "/";
  }
  if (url.origin !== publicUrl.origin) return "/";
  // `/.//evil` resolves to the path `//evil`, which a browser reads as a host.
  return `${url.pathname.replace(/^\/+/, "/")}${url.search}${url.hash}`;
}
