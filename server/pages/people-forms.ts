import type { Context, Hono } from "hono";
import type { AppEnv } from "../api/router.ts";
import { callApi, formToApi, textField } from "./account-forms.ts";

type Body = Parameters<typeof callApi>[3];

/**
 * One plain form's post handed to the API: onward to `done` when it worked, back to `back`
 * with the API's own message when not. Posts another site made the browser send do nothing.
 */
async function forward(
  app: Hono<AppEnv>,
  c: Context<AppEnv>,
  call: { method: string; path: string; body: Body },
  back: string,
  done = back,
): Promise<Response> {
  const answer = await formToApi(c, back, () => callApi(app, c, call.path, call.body, call.method));
  return answer.ok ? c.redirect(done, 303) : answer;
}

/** A text field of the form posted, or "" when it was not sent. */
const fieldOf = async (c: Context<AppEnv>, name: string) =>
  textField(await c.req.parseBody(), name);

/** What makes a settings screen say "saved" after the redirect. */
const saved = "?saved=1";

const communityPath = (c: Context<AppEnv>) =>
  `/communities/${encodeURIComponent(c.req.param("ref") ?? "")}`;
const communityPage = (c: Context<AppEnv>) => `/c/${encodeURIComponent(c.req.param("ref") ?? "")}`;

/**
 * The people screens' forms as plain posts (issue 17), so they work without scripts: the
 * avatar and banner uploads (the browser's multipart body goes to the API as it came, under
 * the API's own size limit), joining, asking to join and leaving a community, taking part
 * in coffee rounds, and asking, handing on and answering questions.
 */
export function mountPeopleForms(app: Hono<AppEnv>): void {
  const images = [
    { form: "/settings/avatar", api: () => "/me/avatar", page: () => "/settings" },
    {
      form: "/c/:ref/settings/banner",
      api: (c: Context<AppEnv>) => `${communityPath(c)}/banner`,
      page: (c: Context<AppEnv>) => `${communityPage(c)}/settings`,
    },
  ];
  for (const image of images) {
    app.post(image.form, (c) =>
      forward(
        app,
        c,
        { method: "PUT", path: image.api(c), body: "form" },
        image.page(c),
        `${image.page(c)}${saved}`,
      ),
    );
    app.post(`${image.form}/remove`, (c) =>
      forward(
        app,
        c,
        { method: "DELETE", path: image.api(c), body: {} },
        image.page(c),
        `${image.page(c)}${saved}`,
      ),
    );
  }
  // An admin appoints a member translator, or no longer, from the community's settings.
  app.post("/c/:ref/settings/members/:id/translator", async (c) => {
    const method = (await fieldOf(c, "appoint")) === "no" ? "DELETE" : "PUT";
    const path = `${communityPath(c)}/members/${encodeURIComponent(c.req.param("id"))}/translator`;
    const settings = `${communityPage(c)}/settings`;
    return forward(app, c, { method, path, body: {} }, settings);
  });
  app.post("/c/:ref/coffee", async (c) => {
    const method = (await fieldOf(c, "take")) === "no" ? "DELETE" : "PUT";
    return forward(
      app,
      c,
      { method, path: `${communityPath(c)}/coffee`, body: {} },
      communityPage(c),
    );
  });
  app.post("/c/:ref/join", async (c) => {
    const message = await fieldOf(c, "message");
    const body = message ? { message } : {};
    return forward(
      app,
      c,
      { method: "POST", path: `${communityPath(c)}/join`, body },
      communityPage(c),
    );
  });
  app.post("/c/:ref/leave", (c) =>
    forward(
      app,
      c,
      { method: "POST", path: `${communityPath(c)}/leave`, body: {} },
      communityPage(c),
    ),
  );
  app.post("/c/:ref/questions", async (c) => {
    const body = { body: await fieldOf(c, "body") };
    return forward(
      app,
      c,
      { method: "POST", path: `${communityPath(c)}/questions`, body },
      communityPage(c),
      `${communityPage(c)}/questions?asked=1`,
    );
  });
  for (const step of ["assign", "answer"] as const) {
    app.post(`/c/:ref/questions/:id/${step}`, async (c) => {
      const field = step === "assign" ? "account" : "body";
      const body = { [field]: await fieldOf(c, field) };
      const path = `/questions/${encodeURIComponent(c.req.param("id"))}/${step}`;
      return forward(app, c, { method: "POST", path, body }, `${communityPage(c)}/questions`);
    });
  }
}
