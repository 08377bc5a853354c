import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Person } from "../support/client.ts";
import { eventually, type Peer, startPeer } from "../support/peer.ts";
import { killLaunched } from "../support/process.ts";
import {
  contexts,
  publicAddress,
  type RawActor,
  type RawPeer,
  signedRequest,
  startRawPeer,
} from "../support/raw-peer.ts";

/**
 * Reports across servers: a report here about a reply written on another server goes to that
 * server as a `Flag` from this server's own actor, when the reporter asks for it; a `Flag`
 * from another server joins the moderators' queue here.
 */
describe("reports across servers", () => {
  let hub: Peer;
  let elsewhere: RawPeer;
  let ana: RawActor;
  let owner: Person;
  let reporter: Person;
  let threadId: string;
  let threadUri: string;

  const group = () => `${hub.origin}/actors/commons`;
  const instanceActor = () => `${hub.origin}/actors/instance`;
  const flagsAbout = (uri: string) =>
    elsewhere.received.filter(
      ({ body }) => body?.type === "Flag" && [body.object].flat().includes(uri),
    );
  const deliver = (activity: Record<string, unknown>) =>
    fetch(signedRequest("POST", `${group()}/inbox`, ana, activity));

  /** A reply by ana, as her server sends it to the group, and the id it gets here. */
  async function anaReplies(n: number, content: string): Promise<{ uri: string; id: string }> {
    const uri = `${elsewhere.origin}/users/ana/statuses/${n}`;
    const note = {
      "@context": contexts,
      id: uri,
      type: "Note",
      attributedTo: ana.id,
      inReplyTo: threadUri,
      content: `<p>${content}</p>`,
      to: [publicAddress, group()],
      audience: group(),
    };
    elsewhere.serve(`/users/ana/statuses/${n}`, note);
    const answer = await deliver({
      "@context": contexts,
      id: `${uri}/activity`,
      type: "Create",
      actor: ana.id,
      to: note.to,
      object: note,
    });
    expect(answer.status).toBeLessThan(300);
    const stored = await eventually(
      async () =>
        (
          (await hub.request("GET", `/api/v1/posts/${threadId}/comments`)).body.items as {
            id: string;
            content: string;
          }[]
        ).find((comment) => comment.content.includes(content)),
      (found) => found !== undefined,
      `ana's reply ${n} stored`,
      [hub],
    );
    return { uri, id: stored?.id ?? "" };
  }

  beforeAll(async () => {
    [hub, elsewhere] = await Promise.all([startPeer("127.0.13.1"), startRawPeer("127.0.13.2")]);
    owner = await hub.signUp("convenor");
    await hub.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug: "commons", name: "Commons", summary: "", privacy: "open" },
    });
    reporter = await hub.signUp("rehema");
    await hub.request("POST", "/api/v1/communities/commons/join", { token: reporter.token });
    const thread = await hub.request("POST", "/api/v1/communities/commons/discussions", {
      token: owner.token,
      body: { title: "Safe spaces", content: "How do we keep our groups safe?" },
    });
    threadId = thread.body.id;
    threadUri = thread.body.uri;
    ana = elsewhere.person("ana");
    const followed = await deliver({
      "@context": contexts,
      id: `${ana.id}#follows/1`,
      type: "Follow",
      actor: ana.id,
      object: group(),
    });
    expect(followed.status).toBeLessThan(300);
    await eventually(
      async () => elsewhere.received.some(({ body }) => body?.type === "Accept"),
      (accepted) => accepted,
      "ana's Follow accepted",
      [hub],
    );
  }, 120_000);

  afterAll(async () => {
    await killLaunched();
    await elsewhere?.close();
  });

  it("sends the author's server a Flag from the instance actor about the reported reply and its author", async () => {
    const reply = await anaReplies(1, "Something harmful");
    const filed = await hub.request("POST", `/api/v1/comments/${reply.id}/reports`, {
      token: reporter.token,
      body: { category: "harassment", reason: "Threatens a member", forward: true },
    });
    expect(filed.status).toBe(201);
    const [flag] = await eventually(
      async () => flagsAbout(reply.uri),
      (flags) => flags.length > 0,
      "the Flag at ana's server",
      [hub],
    );
    expect(flag?.path).toBe("/inbox");
    expect(flag?.body.actor).toBe(instanceActor());
    expect([flag?.body.object].flat()).toEqual([ana.id, reply.uri]);
    expect(flag?.body.content).toBe("Threatens a member");
    // Signed by the instance's key: the reporter's name stays here.
    expect(flag?.body.proof?.verificationMethod).toMatch(new RegExp(`^${instanceActor()}#`));
    expect(JSON.stringify(flag?.body)).not.toContain("rehema");
  });

  it("tells the author's server nothing when the reporter leaves the box unticked", async () => {
    const quiet = await anaReplies(2, "Off topic");
    const unforwarded = await hub.request("POST", `/api/v1/comments/${quiet.id}/reports`, {
      token: reporter.token,
      body: { category: "spam", reason: "Advertising", forward: false },
    });
    expect(unforwarded.status).toBe(201);
    // Spam is told only when asked; a child-safety report is told unless the box is unticked.
    const loud = await anaReplies(3, "Worse");
    const forwarded = await hub.request("POST", `/api/v1/comments/${loud.id}/reports`, {
      token: reporter.token,
      body: { category: "child_safety", reason: "Grooming" },
    });
    expect(forwarded.status).toBe(201);
    await eventually(
      async () => flagsAbout(loud.uri),
      (flags) => flags.length > 0,
      "the child-safety Flag at ana's server",
      [hub],
    );
    // Queued before the one that arrived, so it would have arrived first; a moment to be sure.
    await new Promise((done) => setTimeout(done, 1000));
    expect(flagsAbout(quiet.uri)).toHaveLength(0);
  });

  it("puts a Flag from the other server in the community's queue of open reports", async () => {
    const flag = {
      "@context": contexts,
      id: `${elsewhere.origin}/flags/1`,
      type: "Flag",
      actor: ana.id,
      object: [threadUri],
      content: "This thread doxxes a child",
    };
    const answer = await fetch(signedRequest("POST", `${hub.origin}/inbox`, ana, flag));
    expect(answer.status).toBeLessThan(300);
    const reports = await eventually(
      async () =>
        (
          await hub.request("GET", "/api/v1/communities/commons/reports?state=open", {
            token: owner.token,
          })
        ).body.items as { reason: string; state: string; target: { id: string } }[],
      (items) => items.some((item) => item.reason === "This thread doxxes a child"),
      "the remote report in the queue",
      [hub],
    );
    expect(reports.find((item) => item.reason === "This thread doxxes a child")).toMatchObject({
      state: "open",
      target: { id: threadId },
    });
  });
});
