import { existsSync, readFileSync } from "node:fs";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Hono } from "hono";
import { compress } from "hono/compress";
import { setCookie } from "hono/cookie";
import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import { ApiError, createApi, type Me } from "../../client/api.ts";
import { App, findScreen, type InitialState } from "../../client/app.tsx";
import { createTranslator, type Messages } from "../../client/i18n.ts";
import { unavailableRetryAfterSeconds } from "../../db/unavailable.ts";
import type { AppEnv } from "../api/router.ts";
import { sessionsOfOnePage } from "../api/session.ts";
import { escapeHtml } from "../html.ts";
import { i18n, isLocale, languageCookie, readerLocale } from "../i18n.ts";
import { projectPath } from "../project-root.ts";
import { takeRefusal } from "./account-forms.ts";
import { pathOnThisServer } from "./next-path.ts";
import { mountWebApp, webAppLinks } from "./web-app.ts";

const distDir = projectPath("dist", "client");
const yearSeconds = 365 * 24 * 60 * 60;

interface Bundle {
  script: string;
  styles: string[];
}

/** The built entry script and its styles, from Vite's manifest. */
function readBundle(): Bundle | null {
  const manifestPath = `${distDir}/.vite/manifest.json`;
  if (!existsSync(manifestPath)) return null;
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Record<
    string,
    { file: string; css?: string[] }
  >;
  // The app's entry; the service worker is built beside it but never linked.
  const entry = manifest["main.tsx"];
  return entry ? { script: `/${entry.file}`, styles: (entry.css ?? []).map((f) => `/${f}`) } : null;
}

/** JSON inside a script element: nothing in it may close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

function document(
  state: InitialState,
  body: string,
  bundle: Bundle | null,
  head: { title: string; description: string; url: string },
): string {
  const direction = state.locale === "ar" ? "rtl" : "ltr";
  const meta = (property: string, content: string) =>
    `<meta property="${property}" content="${escapeHtml(content)}">`;
  return `<!doctype html>
<html lang="${state.locale}" dir="${direction}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(head.title)} · Praxis</title>
<meta name="description" content="${escapeHtml(head.description)}">
${meta("og:title", head.title)}
${meta("og:description", head.description)}
${meta("og:type", "website")}
${meta("og:url", head.url)}
${webAppLinks(state.locale)}
${(bundle?.styles ?? []).map((href) => `<link rel="stylesheet" href="${href}">`).join("\n")}
${bundle ? `<script type="module" src="${bundle.script}"></script>` : ""}
</head>
<body>
<div id="app">${body}</div>
<script type="application/json" id="praxis-state">${scriptJson(state)}</script>
</body>
</html>`;
}

const refusalStatuses = [403, 404, 409, 410, 503] as const;
type PageStatus = 200 | (typeof refusalStatuses)[number];

/**
 * A screen the API refused answers with the API's status when a browser or crawler can act on
 * it (forbidden, gone, already used, or the database out of reach for now: 503); anything else,
 * "sign in first" included, reads as not found.
 */
function pageStatusOf(error: ApiError): PageStatus {
  return refusalStatuses.find((status) => status === error.status) ?? 404;
}

/** First path segments before a community's name in its address: Praxis, Lemmy and others. */
const actorPathPrefixes = new Set(["c", "actors", "g", "groups", "u", "users"]);

/**
 * The ref to open for what the directory's field was given: `@slug@host`, `slug@host`, or the
 * community's address on its own server (`https://host/c/slug`, `https://host/@slug`…).
 * Anything else is kept as it is, and then found nowhere.
 */
export function refToOpen(input: string, ownHost: string): string {
  const text = input.trim();
  if (!/^https?:\/\//i.test(text)) return text.replace(/^@/, "");
  try {
    const url = new URL(text);
    const [first = "", second = ""] = url.pathname
      .split("/")
      .filter(Boolean)
      .map(decodeURIComponent);
    const name = first.startsWith("@")
      ? first.slice(1)
      : actorPathPrefixes.has(first)
        ? second
        : "";
    if (!name) return text;
    // `/@slug@elsewhere` is already a ref: a server's page of a community it follows.
    return name.includes("@") || url.host === ownHost ? name : `${name}@${url.host}`;
  } catch {
    return text;
  }
}

/**
 * The Preact client: its built files, and its screens rendered on the server from the same
 * components and API calls, so public pages read without JavaScript and load at once.
 */
export function mountClient(app: Hono<AppEnv>): void {
  const bundle = readBundle();
  mountWebApp(app, distDir);
  app.use(
    "/assets/*",
    compress(),
    async (c, next) => {
      await next();
      // File names carry a hash of their content: they never change.
      c.header("Cache-Control", `public, max-age=${yearSeconds}, immutable`);
    },
    serveStatic({ root: distDir }),
  );

  app.get("/lang", (c) => {
    const wanted = c.req.query("to");
    const target = pathOnThisServer(c.req.query("next"), c.get("deps").config.publicUrl);
    if (wanted && isLocale(wanted)) {
      setCookie(c, languageCookie, wanted, { path: "/", maxAge: yearSeconds, sameSite: "Lax" });
    }
    return c.redirect(target, 303);
  });

  app.get("/open", (c) => {
    const ref = refToOpen(c.req.query("handle") ?? "", c.get("deps").config.publicUrl.host);
    return c.redirect(ref ? `/c/${encodeURIComponent(ref)}` : "/", 303);
  });

  app.get("*", compress(), async (c, next) => {
    const url = new URL(c.req.url);
    if (url.pathname.startsWith("/api/")) return next();
    // A community's actor URL answers browsers with the community's page.
    const actor = url.pathname.match(/^\/actors\/([^/]+)$/);
    const path = actor ? `/c/${actor[1]}` : url.pathname;
    const pageEnv = { ...(c.env as object | undefined), sessions: sessionsOfOnePage() };
    const api = createApi(url.origin, (request) => {
      const headers = new Headers(request.headers);
      for (const name of ["cookie", "accept-language", "user-agent", "sec-purpose", "purpose"]) {
        const value = c.req.header(name);
        if (value) headers.set(name, value);
      }
      // The reader's connection goes along, so that the API knows who reads (analytics).
      return Promise.resolve(app.request(new Request(request, { headers }), undefined, pageEnv));
    });
    const me = await api.get<Me>("/me").catch(() => null);
    const locale = readerLocale(c, me?.locale);
    const messages = i18n.getResourceBundle(locale, "client") as Messages;
    const t = createTranslator(locale, messages);
    const unread = me
      ? await api
          .get<{ unread: number }>("/notifications?unread=true&limit=1")
          .then((answer) => answer.unread)
          .catch(() => 0)
      : 0;
    const refusal = await takeRefusal(c);
    const state: InitialState = {
      path,
      search: url.search,
      locale,
      messages,
      me,
      unread,
      ...(refusal ? { refusal } : {}),
    };
    const found = findScreen(path);
    const view =
      found?.screen.view ?? (found?.screen.drawnOnServer ? await found.screen.lazy?.() : undefined);
    let status: PageStatus = found ? 200 : 404;
    let title = t("directory.title");
    let description = t("directory.intro");
    if (!found) state.error = { status: 404, message: t("errors.notFound") };
    if (found && view && found.screen.load) {
      try {
        state.data = await found.screen.load({
          api,
          me,
          params: found.params,
          query: url.searchParams,
        });
        title = found.screen.title(t, state.data);
        description = found.screen.description?.(t, state.data) ?? description;
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        status = pageStatusOf(error);
        if (status === 503) c.header("Retry-After", String(unavailableRetryAfterSeconds));
        state.error = { status, message: error.message };
      }
    } else if (found) {
      title = found.screen.title(t, undefined);
    }
    const body = renderToString(h(App, { initial: state, api, view }));
    c.header(
      "Content-Security-Policy",
      "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
    return c.html(document(state, body, bundle, { title, description, url: url.href }), status);
  });
}
