import type { Context, Hono } from "hono";
import { withAboutChanges } from "../../client/components/about-fields.tsx";
import type { AppEnv } from "../api/router.ts";
import { callApi, formToApi, passOnCookies, textField } from "./account-forms.ts";

/** Where every settings form comes back to; its query says which change to report. */
const settings = "/settings";

/** The text fields of a plain form, as a scripted form's `fieldsOf` reads them. */
async function textFieldsOf(c: Context<AppEnv>): Promise<Record<string, string>> {
  const form = await c.req.parseBody();
  const texts: Record<string, string> = {};
  for (const name of Object.keys(form)) texts[name] = textField(form, name);
  return texts;
}

/**
 * One settings form's post handed to the API: on to `done(answer)` when it worked, with
 * the session cookie it set (a password change keeps this device signed in), and back to
 * /settings with the API's own message when not.
 */
async function settingsCall(
  app: Hono<AppEnv>,
  c: Context<AppEnv>,
  call: { method: string; path: string; body: Record<string, unknown> },
  done: string,
): Promise<Response> {
  const answer = await formToApi(c, settings, () =>
    callApi(app, c, call.path, call.body, call.method),
  );
  if (!answer.ok) return answer;
  passOnCookies(c, answer);
  return c.redirect(done, 303);
}

/**
 * The /settings screen's forms as plain posts (issue 18), so they work without scripts: the
 * profile and preferences, a new password, a new address and the account's deletion. Each
 * goes to the API's own route, so the same checks and messages apply; posts another site
 * made the browser send do nothing. The avatar's upload is in people-forms.ts.
 */
export function mountSettingsForms(app: Hono<AppEnv>): void {
  app.post(settings, async (c) => {
    const fields = await textFieldsOf(c);
    const body = withAboutChanges(fields);
    // Through /lang, as the scripted form does: pages are drawn in the chosen language from now on.
    const next = encodeURIComponent(`${settings}?saved=1`);
    const done = `/lang?to=${encodeURIComponent(fields.locale ?? "")}&next=${next}`;
    return settingsCall(app, c, { method: "PATCH", path: "/me", body }, done);
  });

  app.post(`${settings}/password`, async (c) => {
    const { current, password } = await textFieldsOf(c);
    const body = { current, password };
    return settingsCall(
      app,
      c,
      { method: "PUT", path: "/me/password", body },
      `${settings}?changed=password`,
    );
  });

  app.post(`${settings}/email`, async (c) => {
    const { email, password } = await textFieldsOf(c);
    return settingsCall(
      app,
      c,
      { method: "POST", path: "/me/email", body: { email, password } },
      // The screen reads the address being confirmed from the account: it never goes in a URL,
      // where history and access logs would keep it.
      settings,
    );
  });

  // The form asks for the password and what becomes of the content: one click deletes nothing.
  app.post(`${settings}/delete`, async (c) => {
    const { password, content } = await textFieldsOf(c);
    return settingsCall(
      app,
      c,
      { method: "DELETE", path: "/me", body: { password, content } },
      "/",
    );
  });
}
