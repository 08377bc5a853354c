import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Person } from "../support/client.ts";
import { joinFromMastodon, openCommonsWithThread } from "../support/commons.ts";
import {
  type FakeAccount,
  type FakePeer,
  fixture,
  startFakeMastodon,
} from "../support/fake-peer.ts";
import { eventually, type Peer, startPeer } from "../support/peer.ts";
import { killLaunched } from "../support/process.ts";

/**
 * What an attacker posts to an inbox: bodies built to break the parser, one activity sent
 * many times at once, links that run script. The instance answers, counts once, and keeps
 * only links to web pages.
 */
describe("hostile deliveries", () => {
  let hub: Peer;
  let mastodon: FakePeer;
  let admin: Person;
  let felix: FakeAccount;
  let threadUri: string;

  const group = () => `${hub.origin}/actors/commons`;

  /** Something felix writes in the commons, as Mastodon wraps it in a Create. */
  function created(n: number, object: Record<string, unknown>) {
    const id = `${felix.id}/statuses/${n}`;
    return {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${id}/activity`,
      type: "Create",
      actor: felix.id,
      to: [group()],
      object: { id, attributedTo: felix.id, to: [group()], audience: group(), ...object },
    };
  }

  const postJson = (body: string) =>
    fetch(`${hub.origin}/inbox`, {
      method: "POST",
      headers: { "content-type": "application/activity+json" },
      body,
    });

  beforeAll(async () => {
    [hub, mastodon] = await Promise.all([startPeer("127.0.0.43"), startFakeMastodon("127.0.0.44")]);
    felix = await mastodon.account("felix");
    const commons = await openCommonsWithThread(hub, {
      title: "Targeting",
      content: "Proxy means tests or categorical?",
    });
    admin = commons.admin;
    threadUri = commons.thread.uri;
    await joinFromMastodon(mastodon, felix, group(), hub);
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([hub?.stop(), mastodon?.close()]);
    await killLaunched();
  });

  it("answers 400 to an activity nested thousands deep, before parsing it", async () => {
    const depth = 3000;
    const objects = `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
    const arrays = `${"[".repeat(depth)}${"]".repeat(depth)}`;
    for (const nested of [objects, arrays]) {
      // Written out as text, as an attacker would: no serializer is asked to go that deep.
      const answer = await postJson(
        `{"@context":"https://www.w3.org/ns/activitystreams","type":"Create",` +
          `"actor":"${felix.id}","object":${nested}}`,
      );
      expect(answer.status).toBe(400);
      expect(await answer.text()).toMatch(/nested/i);
    }
    // Brackets in text are words, not nesting.
    const note = created(9, { type: "Note", inReplyTo: threadUri, content: "[".repeat(depth) });
    expect((await mastodon.post(`${hub.origin}/inbox`, note, felix)).status).toBe(202);
  });

  it("makes one report of a Flag delivered ten times at once", async () => {
    const flag = {
      ...fixture("mastodon/activities/flag.json"),
      id: `${mastodon.origin}/flags/1`,
      actor: felix.id,
      object: [threadUri],
      to: group(),
    };
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => mastodon.post(`${hub.origin}/inbox`, flag, felix)),
    );
    expect(answers.every((answer) => answer.status === 202)).toBe(true);
    const marker = { ...flag, id: `${mastodon.origin}/flags/2`, content: "Marker" };
    await mastodon.post(`${hub.origin}/inbox`, marker, felix);
    const reports = async () =>
      (
        (await hub.request("GET", "/api/v1/notifications", { token: admin.token })).body.items as {
          kind: string;
          data: { reason: string };
        }[]
      ).filter((notification) => notification.kind === "report");
    await eventually(
      reports,
      (items) => items.some((report) => report.data.reason === "Marker"),
      "the later report",
      [hub],
    );
    // The marker waited behind the ten; give the slowest of them a moment to finish.
    await new Promise((done) => setTimeout(done, 1000));
    expect((await reports()).filter((report) => report.data.reason !== "Marker")).toHaveLength(1);
  });

  it("keeps no javascript: link from a remote Event", async () => {
    const event = created(1, {
      type: "Event",
      name: "Scrip for the cooperative",
      content: "<p>Come along</p>",
      startTime: "2031-03-01T10:00:00Z",
      endTime: "2031-03-01T12:00:00Z",
      url: [{ type: "Link", href: "javascript:alert(document.cookie)" }],
    });
    expect((await mastodon.post(`${hub.origin}/inbox`, event, felix)).status).toBe(202);
    const [stored] = await eventually(
      async () =>
        (await hub.request("GET", "/api/v1/communities/commons/events?from=2031-01-01")).body
          .items as { title: string; onlineUrl: string | null }[],
      (items) => items.length === 1,
      "felix's event",
      [hub],
    );
    expect(stored?.title).toBe("Scrip for the cooperative");
    expect(stored?.onlineUrl).toBeNull();
  });

  it("never sends a download of a remote file to a javascript: link", async () => {
    const document = (n: number, name: string, href: string) =>
      created(n, {
        type: "Document",
        name,
        mediaType: "application/pdf",
        url: [{ type: "Link", href, mediaType: "application/pdf" }],
      });
    await mastodon.post(
      `${hub.origin}/inbox`,
      document(2, "Trap", "javascript:alert(document.cookie)"),
      felix,
    );
    await mastodon.post(
      `${hub.origin}/inbox`,
      document(3, "Evaluation", `${mastodon.origin}/files/evaluation.pdf`),
      felix,
    );
    const files = await eventually(
      async () =>
        (await hub.request("GET", "/api/v1/communities/commons/files")).body.items as {
          title: string;
          file: { url: string };
        }[],
      (items) => items.some((item) => item.title === "Evaluation"),
      "felix's file",
      [hub],
    );
    for (const item of files) {
      const download = await fetch(item.file.url, { redirect: "manual" });
      expect(download.headers.get("location")).toMatch(/^https?:\/\//);
    }
  });
});
