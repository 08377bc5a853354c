import { serveStatic } from "@hono/node-server/serve-static";
import type { Hono } from "hono";
import { directionOf } from "../../client/i18n.ts";
import type { AppEnv } from "../api/router.ts";
import { i18n, isLocale, type Locale } from "../i18n.ts";

/** The colour of the installed app's title bar, as in the client's styles. */
const themeColor = "#0b5cad";
const icon = { src: "/icon.svg", type: "image/svg+xml", sizes: "any" };

/** The manifest that makes Praxis installable, in the reader's language. */
function manifestFor(locale: Locale) {
  return {
    id: "/",
    name: "Praxis",
    short_name: "Praxis",
    description: i18n.t("directory.intro", { lng: locale, ns: "client" }),
    lang: locale,
    dir: directionOf(locale),
    start_url: "/",
    scope: "/",
    display: "standalone",
    theme_color: themeColor,
    background_color: "#ffffff",
    // The drawing keeps clear of the edges, so launchers may crop it to their shape.
    icons: [
      { ...icon, purpose: "any" },
      { ...icon, purpose: "maskable" },
    ],
  };
}

/** The head's links to the manifest and the icon, for every page of the site. */
export function webAppLinks(locale: Locale): string {
  return `<link rel="manifest" href="/manifest.webmanifest?lang=${locale}">
<link rel="icon" href="${icon.src}" type="${icon.type}">
<meta name="theme-color" content="${themeColor}">`;
}

/**
 * What makes the client an installable app that reads offline: its manifest, its icon, and its
 * service worker, served from the root so that the worker's scope is the whole site.
 */
export function mountWebApp(app: Hono<AppEnv>, distDir: string): void {
  app.get("/manifest.webmanifest", (c) => {
    const wanted = c.req.query("lang") ?? "";
    return c.body(JSON.stringify(manifestFor(isLocale(wanted) ? wanted : "en")), 200, {
      "Content-Type": "application/manifest+json",
      "Cache-Control": "public, max-age=86400",
    });
  });
  // A browser looks for a new worker at each visit: the file must never be kept stale.
  app.get(
    "/sw.js",
    async (c, next) => {
      await next();
      c.header("Cache-Control", "no-cache");
    },
    serveStatic({ root: distDir }),
  );
  app.get("/icon.svg", serveStatic({ root: distDir }));
}
