import type { Hono } from "hono";
import { handlesIn } from "../../client/routes/messages-handles.ts";
import type { AppEnv } from "../api/router.ts";
import { callApi, formToApi, textField } from "./account-forms.ts";

/**
 * The messages screens' forms as plain posts (issue 17), so they work without scripts: a new
 * conversation leads to it, an answer back to its conversation; a refusal goes back to the form
 * with the API's own message (someone who blocked you, a handle that names no one).
 */
export function mountMessageForms(app: Hono<AppEnv>): void {
  app.post("/messages", async (c) => {
    const form = await c.req.parseBody();
    const answer = await formToApi(c, "/messages/new", () =>
      callApi(app, c, "/conversations", {
        to: handlesIn(textField(form, "to")),
        body: textField(form, "body"),
      }),
    );
    if (!answer.ok) return answer;
    const { id } = (await answer.json()) as { id: string };
    return c.redirect(`/messages/${id}`, 303);
  });

  app.post("/messages/:id", async (c) => {
    const page = `/messages/${encodeURIComponent(c.req.param("id"))}`;
    const form = await c.req.parseBody();
    const answer = await formToApi(c, page, () =>
      callApi(app, c, `/conversations${page.slice("/messages".length)}/messages`, {
        body: textField(form, "body"),
      }),
    );
    return answer.ok ? c.redirect(page, 303) : answer;
  });
}
