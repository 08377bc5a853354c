import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addRemoteMember, startListener } from "../support/inbox-listener.ts";
import { startTestInstance } from "../support/instance.ts";
import { eventually, type Peer, startPeer } from "../support/peer.ts";
import { killLaunched } from "../support/process.ts";

/** What an outsider sees of an answer, with the name asked about taken out of it. */
async function seen(url: string, accept: string, name: string) {
  const response = await fetch(url, { headers: { accept } });
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    body: (await response.text()).replaceAll(name, "NAME"),
  };
}

const activityJson = "application/activity+json";

/**
 * Hidden communities do not exist for those outside them: nothing an unsigned request can
 * ask of one may tell it apart from a name nobody holds.
 */
describe("probing for hidden communities", () => {
  let praxis: Peer;
  const hidden = ["quiet-circle", "quiet-commons"];
  const unknown = "never-was-here";
  const posts = new Map<string, { post: string; comment: string }>();

  beforeAll(async () => {
    praxis = await startPeer("127.0.0.63");
    const owner = await praxis.signUp("quiet_owner");
    const levels = { "quiet-circle": "private", "quiet-commons": "open" };
    for (const [slug, privacy] of Object.entries(levels)) {
      const created = await praxis.request("POST", "/api/v1/communities", {
        token: owner.token,
        body: { slug, name: `Quiet ${privacy}`, privacy, hidden: true },
      });
      expect(created.status).toBe(201);
      const post = await praxis.request("POST", `/api/v1/communities/${slug}/announcements`, {
        token: owner.token,
        body: { title: "Members' notes", content: "Only for us." },
      });
      expect(post.status).toBe(201);
      const comment = await praxis.request("POST", `/api/v1/posts/${post.body.id}/comments`, {
        token: owner.token,
        body: { content: "Noted." },
      });
      expect(comment.status).toBe(201);
      posts.set(slug, { post: post.body.id, comment: comment.body.id });
    }
  }, 120_000);
  afterAll(async () => {
    await praxis?.stop();
    await killLaunched();
  });

  const routes: [what: string, path: (name: string) => string, accept: string][] = [
    ["the actor", (name) => `/actors/${name}`, activityJson],
    ["the actor's page", (name) => `/actors/${name}`, "text/html"],
    ["WebFinger", (name) => `/.well-known/webfinger?resource=acct:${name}@HOST`, "*/*"],
    ["the outbox", (name) => `/actors/${name}/outbox`, activityJson],
    ["the followers", (name) => `/actors/${name}/followers`, activityJson],
    ["the featured threads", (name) => `/actors/${name}/featured`, activityJson],
    ["the moderators", (name) => `/actors/${name}/moderators`, activityJson],
    ["the inbox", (name) => `/actors/${name}/inbox`, activityJson],
  ];

  for (const slug of hidden) {
    it.each(routes)(
      `answers for %s of ${slug} as for a name nobody holds`,
      async (_, path, accept) => {
        const url = (name: string) => `${praxis.origin}${path(name).replace("HOST", praxis.host)}`;
        expect(await seen(url(slug), accept, slug)).toEqual(
          await seen(url(unknown), accept, unknown),
        );
      },
    );

    it(`answers for a post and a comment of ${slug} as for ids that never were`, async () => {
      const ids = posts.get(slug);
      const never = randomUUID();
      for (const kind of ["post", "comment"] as const) {
        const url = (id: string) => `${praxis.origin}/${kind}s/${id}`;
        const id = ids?.[kind] ?? "";
        expect(await seen(url(id), activityJson, id), kind).toEqual(
          await seen(url(never), activityJson, never),
        );
      }
    });
  }
});

describe("a hidden community's own deliveries", () => {
  it("still reach its members on other servers, which no request asks for", async () => {
    const [praxis, inbox] = await Promise.all([startTestInstance(), startListener("127.0.0.64")]);
    try {
      const owner = await praxis.signUp("quiet_sender");
      const created = await praxis.request("POST", "/api/v1/communities", {
        token: owner.token,
        body: { slug: "quiet-sender", name: "Quiet sender", privacy: "private", hidden: true },
      });
      expect(created.status).toBe(201);
      const member = await addRemoteMember(
        praxis.deps.db,
        created.body.id,
        inbox.host,
        "far_member",
      );
      await praxis.request("POST", "/api/v1/communities/quiet-sender/announcements", {
        token: owner.token,
        body: { title: "Meeting moved", content: "Thursday instead." },
      });
      const path = new URL(member.inbox).pathname;
      await eventually(
        async () => inbox.heard,
        (heard) => heard.includes(`POST ${path}`),
        "delivery",
      );
    } finally {
      await Promise.all([praxis.close(), inbox.close()]);
    }
  });
});
