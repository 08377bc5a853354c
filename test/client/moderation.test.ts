import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserInstance, screenshot, startBrowserInstance } from "../support/browser.ts";
import { type Person, requester, signUpWith } from "../support/client.ts";
import { killLaunched } from "../support/process.ts";
import { pageAs } from "../support/signed-in-page.ts";
import { wordsIn } from "../support/words.ts";

const en = wordsIn("en");
const serverSays = (code: string): string =>
  JSON.parse(readFileSync("locales/en/errors.json", "utf8"))[code];

/** A moderator's tools on other people's posts, each asked for twice, in a real browser. */
describe("moderating a discussion", () => {
  let instance: BrowserInstance;
  let owner: Person;
  let moderator: Person;
  let member: Person;
  const request = (...args: Parameters<ReturnType<typeof requester>>) =>
    requester(instance.origin, (req) => fetch(req))(...args);
  const post = async (author: Person, title: string) => {
    const created = await request("POST", "/api/v1/communities/forum/discussions", {
      token: author.token,
      body: { title, content: `What ${author.username} wrote.` },
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const postNow = async (id: string) => (await request("GET", `/api/v1/posts/${id}`)).body;
  const openThread = (person: Person, id: string) =>
    pageAs(instance.browser, instance.origin, person, `/posts/${id}`);
  /** The confirmation an action asks for, found by its question, and its confirming button. */
  const confirm = async (page: Page, action: string, title: string) => {
    await page.getByRole("button", { name: en(`moderation.${action}`), exact: true }).click();
    const asked = page.getByRole("group", { name: en(`moderation.confirm.${action}`, { title }) });
    await asked.waitFor();
    return asked;
  };
  const moderationButtons = ["pin", "unpin", "lock", "unlock", "delete"].map((action) =>
    en(`moderation.${action}`),
  );

  beforeAll(async () => {
    instance = await startBrowserInstance("127.0.10.2");
    owner = await signUpWith(request, "oumar");
    moderator = await signUpWith(request, "mona");
    member = await signUpWith(request, "pia");
    await request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug: "forum", name: "Registries forum", privacy: "open" },
    });
    for (const person of [moderator, member]) {
      await request("POST", "/api/v1/communities/forum/join", { token: person.token, body: {} });
    }
    const members = await request("GET", "/api/v1/communities/forum/members", {
      token: owner.token,
    });
    const mona = members.body.items.find(
      (item: { account: { id: string } }) => item.account.id === moderator.id,
    );
    const promoted = await request("PATCH", `/api/v1/communities/forum/members/${mona.id}`, {
      token: owner.token,
      body: { role: "moderator" },
    });
    expect(promoted.body.role).toBe("moderator");
  }, 120_000);
  afterAll(async () => {
    await instance?.close();
    await killLaunched();
  });

  it("shows pin, lock and delete to a moderator, and none of them to a plain member", async () => {
    const id = await post(owner, "Agenda for March");
    const asModerator = await openThread(moderator, id);
    for (const name of ["pin", "lock", "delete"].map((action) => en(`moderation.${action}`))) {
      await asModerator.getByRole("button", { name, exact: true }).waitFor();
    }
    const asMember = await openThread(member, id);
    await asMember.getByRole("button", { name: new RegExp(en("thread.like")) }).waitFor();
    for (const name of moderationButtons) {
      expect(await asMember.getByRole("button", { name, exact: true }).count()).toBe(0);
    }
  });

  it("pins and locks a member's post only once the moderator confirms", async () => {
    const title = "Targeting errors in the registry";
    const id = await post(member, title);
    const page = await openThread(moderator, id);
    const pin = await confirm(page, "pin", title);
    expect((await postNow(id)).pinned).toBe(false);
    await pin.getByRole("button", { name: en("moderation.pin"), exact: true }).click();
    await page.getByRole("button", { name: en("moderation.unpin"), exact: true }).waitFor();
    expect((await postNow(id)).pinned).toBe(true);

    const lock = await confirm(page, "lock", title);
    expect((await postNow(id)).locked).toBe(false);
    await lock.getByRole("button", { name: en("moderation.lock"), exact: true }).click();
    await page.getByText(en("thread.locked")).waitFor();
    expect((await postNow(id)).locked).toBe(true);
    expect(await page.getByLabel(en("thread.reply"), { exact: true }).count()).toBe(0);
    await screenshot(page, "moderation-locked");

    await page.goto(`${instance.origin}/c/forum/discussions`);
    const listed = page.locator("li.card").filter({ hasText: title });
    await listed.getByText(en("moderation.pinned")).waitFor();
    await listed.getByText(en("moderation.locked")).waitFor();
  });

  it("deletes a reply and then the post once the moderator confirms", async () => {
    const title = "Grievance channels";
    const id = await post(member, title);
    await request("POST", `/api/v1/posts/${id}/comments`, {
      token: member.token,
      body: { content: "A reply that breaks the principles." },
    });
    const page = await openThread(moderator, id);
    const reply = page.locator("ol.replies li").filter({ hasText: "breaks the principles" });
    await reply.getByRole("button", { name: en("moderation.delete"), exact: true }).click();
    const askedReply = page.getByRole("group", { name: en("moderation.confirm.deleteReply") });
    await askedReply.getByRole("button", { name: en("moderation.delete"), exact: true }).click();
    await page.locator("ol.replies").getByText(en("thread.deleted")).waitFor();
    expect(await page.getByText("breaks the principles").count()).toBe(0);

    const asked = await confirm(page, "delete", title);
    expect((await postNow(id)).deleted).toBe(false);
    await asked.getByRole("button", { name: en("moderation.delete"), exact: true }).click();
    await page
      .locator("article > p.meta")
      .filter({ hasText: en("thread.deleted") })
      .waitFor();
    expect((await postNow(id)).deleted).toBe(true);
  });

  it("shows the server's refusal when the moderator lost the role meanwhile", async () => {
    const title = "Data protection";
    const id = await post(member, title);
    const page = await openThread(moderator, id);
    const members = await request("GET", "/api/v1/communities/forum/members", {
      token: owner.token,
    });
    const mona = members.body.items.find(
      (item: { account: { id: string } }) => item.account.id === moderator.id,
    );
    await request("PATCH", `/api/v1/communities/forum/members/${mona.id}`, {
      token: owner.token,
      body: { role: "member" },
    });
    const pin = await confirm(page, "pin", title);
    await pin.getByRole("button", { name: en("moderation.pin"), exact: true }).click();
    await pin.getByRole("alert").getByText(serverSays("moderators_only")).waitFor();
    expect((await postNow(id)).pinned).toBe(false);
  });
});
