import type { Context, Hono } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import type { AppEnv } from "../api/router.ts";
import { isCrossSite } from "../api/session.ts";
import { readerLocale } from "../i18n.ts";
import { pathOnThisServer } from "./next-path.ts";

/** What the server refused of a form posted without scripts, shown once on the next page. */
const refusalCookie = "praxis_refusal";

/** The form's fields the API takes, as the API names them; empty fields are left out. */
const signInFields = ["login", "password"] as const;
const registrationFields = [
  "username",
  "displayName",
  "email",
  "password",
  "profession",
  "organisation",
  "country",
  "profileAudience",
] as const;

type Fields = Record<string, string>;

function pick(form: Record<string, unknown>, names: readonly string[]): Fields {
  const picked: Fields = {};
  for (const name of names) {
    const value = form[name];
    if (typeof value === "string" && value !== "") picked[name] = value;
  }
  return picked;
}

/**
 * Sends `body` to the API's own route, as the browser's request: the same checks, limits
 * (the connection and its headers, session cookie included, go along) and answers as the
 * scripted form gets. `"form"` passes the browser's own body on as it came (an upload).
 */
export function callApi(
  app: Hono<AppEnv>,
  c: Context<AppEnv>,
  path: string,
  body: Record<string, unknown> | "form",
  method = "POST",
) {
  const headers = new Headers();
  // Sec-Fetch-Site too: a form from our own pages says `Origin: null`, and the API believes it first.
  const forwarded = [
    "accept-language",
    "user-agent",
    "x-forwarded-for",
    "origin",
    "sec-fetch-site",
    "cookie",
  ];
  for (const name of body === "form" ? [...forwarded, "content-type"] : forwarded) {
    const value = c.req.header(name);
    if (value) headers.set(name, value);
  }
  if (body !== "form") headers.set("content-type", "application/json");
  const url = new URL(`/api/v1${path}`, c.req.url);
  const payload = body === "form" ? c.req.raw.body : JSON.stringify(body);
  // A streamed body must say so to Node's fetch; the DOM's RequestInit type does not know it.
  const init = { method, headers, body: payload, duplex: "half" } as RequestInit;
  return app.request(url, init, c.env);
}

/** The session cookie an API answer set, passed on to the browser. */
export function passOnCookies(c: Context<AppEnv>, answer: Response): void {
  for (const cookie of answer.headers.getSetCookie())
    c.header("Set-Cookie", cookie, { append: true });
}

/** Back to the form, with the API's own message (signed: a link cannot make one up). */
async function refused(c: Context<AppEnv>, answer: Response, back: string): Promise<Response> {
  const { error } = (await answer.json()) as { error: { message: string } };
  await setSignedCookie(c, refusalCookie, error.message, c.get("deps").config.secretKey, {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    maxAge: 60,
  });
  return c.redirect(back, 303);
}

/**
 * One plain form's post handed to the API by `call`: the API's answer when it took it, else
 * the redirect back to `back` with the API's own message. A post another site made the
 * browser send goes back without a call, so no site can act for a visitor.
 */
export async function formToApi(
  c: Context<AppEnv>,
  back: string,
  call: () => Response | Promise<Response>,
): Promise<Response> {
  if (isCrossSite(c)) return c.redirect(back, 303);
  const answer = await call();
  return answer.ok ? answer : refused(c, answer, back);
}

/** A text field of a plain form, or "" when it was not sent. */
export function textField(form: Record<string, unknown>, name: string): string {
  const value = form[name];
  return typeof value === "string" ? value : "";
}

/**
 * The message a form posted without scripts was refused with, taken once: the page shows
 * it, and the next one does not.
 */
export async function takeRefusal(c: Context<AppEnv>): Promise<string | undefined> {
  if (!c.req.header("cookie")?.includes(refusalCookie)) return undefined;
  const message = await getSignedCookie(c, c.get("deps").config.secretKey, refusalCookie);
  deleteCookie(c, refusalCookie, { path: "/" });
  return typeof message === "string" ? message : undefined;
}

/**
 * Signing in, creating an account and asking for a reset link as plain form posts, for browsers without scripts
 * (issue 18): the fields go to the API's own routes and its answer becomes a redirect, onward
 * when it worked and back to the form, with the server's message, when not. Posts another
 * site made the browser send are refused, so no site can sign a visitor into its account.
 */
export function mountAccountForms(app: Hono<AppEnv>): void {
  app.post("/signin", async (c) => {
    const form = await c.req.parseBody();
    const next = pathOnThisServer(String(form.next ?? ""), c.get("deps").config.publicUrl);
    const back = `/signin?next=${encodeURIComponent(next)}`;
    const answer = await formToApi(c, back, () =>
      callApi(app, c, "/sessions", pick(form, signInFields)),
    );
    if (!answer.ok) return answer;
    passOnCookies(c, answer);
    return c.redirect(next, 303);
  });

  app.post("/register", async (c) => {
    const form = await c.req.parseBody();
    const fields: Fields = {
      ...pick(form, registrationFields),
      locale: readerLocale(c, undefined),
    };
    const made = await formToApi(c, "/register", () => callApi(app, c, "/accounts", fields));
    if (!made.ok) return made;
    const signedIn = await callApi(app, c, "/sessions", {
      login: fields.username ?? "",
      password: fields.password ?? "",
    });
    // An account waiting for approval cannot sign in yet: the sign-in page says so.
    if (!signedIn.ok) return refused(c, signedIn, "/signin");
    passOnCookies(c, signedIn);
    return c.redirect("/", 303);
  });

  app.post("/forgot-password", async (c) => {
    const form = await c.req.parseBody();
    const asked = await formToApi(c, "/forgot-password", () =>
      callApi(app, c, "/password-resets", { email: textField(form, "email") }),
    );
    return asked.ok ? c.redirect("/forgot-password?sent=1", 303) : asked;
  });
}
