import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Person } from "../support/client.ts";
import { type FakeAccount, type FakePeer, fixture, startFakeLemmy } from "../support/fake-peer.ts";
import { eventually, type Peer, startPeer } from "../support/peer.ts";
import { killLaunched } from "../support/process.ts";

const contexts = ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"];
const publicAddress = "https://www.w3.org/ns/activitystreams#Public";

/**
 * People on Lemmy take part in a community here as in a Lemmy community: they follow it,
 * post Pages with `audience`, comment, vote and delete, and read what it Announces.
 */
describe("people on Lemmy", () => {
  let hub: Peer;
  let lemmy: FakePeer;
  let admin: Person;
  let alpha: FakeAccount;
  let group: string;

  /** A Lemmy fixture (which Lemmy sends without @context) pointed at our community. */
  function fromLemmy(path: string, n: number, changes: (activity: any) => void = () => {}) {
    const activity = { "@context": contexts, ...fixture(`lemmy/activities/${path}`) };
    activity.id = `${lemmy.origin}/activities/${n}`;
    activity.actor = alpha.id;
    for (const field of ["to", "cc"]) {
      if (Array.isArray(activity[field])) {
        activity[field] = activity[field].map((to: string) => (to === publicAddress ? to : group));
      }
    }
    if (activity.audience) activity.audience = group;
    changes(activity);
    return activity;
  }

  const discussions = async () =>
    (await hub.request("GET", "/api/v1/communities/commons/discussions")).body.items as any[];

  beforeAll(async () => {
    [hub, lemmy] = await Promise.all([startPeer("127.0.0.2"), startFakeLemmy("127.0.0.7")]);
    alpha = await lemmy.account("lemmy_alpha");
    admin = await hub.signUp("hubadmin");
    await hub.request("POST", "/api/v1/communities", {
      token: admin.token,
      body: {
        slug: "commons",
        name: "Commons",
        summary: "Social protection practitioners",
        privacy: "open",
      },
    });
    group = `${hub.origin}/actors/commons`;
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([hub?.stop(), lemmy?.close()]);
    await killLaunched();
  });

  it("serves the Group with what Lemmy requires: moderators, featured, outbox, shared inbox", async () => {
    const json = { accept: "application/activity+json" };
    const actor = await (await fetch(group, { headers: json })).json();
    expect(actor).toMatchObject({
      type: "Group",
      preferredUsername: "commons",
      manuallyApprovesFollowers: false,
    });
    for (const field of ["attributedTo", "featured", "outbox", "followers", "inbox"]) {
      expect(typeof actor[field]).toBe("string");
    }
    expect(actor.endpoints.sharedInbox).toBe(`${hub.origin}/inbox`);
    const moderators = await (await fetch(actor.attributedTo, { headers: json })).json();
    expect(JSON.stringify(moderators)).toContain(`${hub.origin}/actors/hubadmin`);
  });

  it("treats a Lemmy Follow as joining and answers with an Accept", async () => {
    const follow = fromLemmy("following/follow.json", 1, (a) => {
      a.object = group;
    });
    expect((await lemmy.post(`${group}/inbox`, follow, alpha)).status).toBe(202);
    const accept = await eventually(
      async () => lemmy.received.find((a) => a.type === "Accept"),
      (found) => found !== undefined,
      "the Accept",
      [hub],
    );
    expect(accept.object.id).toBe(follow.id);
  });

  it("stores a Lemmy Page posted to the community as a discussion, Markdown source kept", async () => {
    const create = fromLemmy("create_or_update/create_page.json", 2, (a) => {
      a.object = {
        ...a.object,
        id: `${lemmy.origin}/post/1`,
        attributedTo: alpha.id,
        to: [group, publicAddress],
        audience: group,
        attachment: [],
      };
    });
    expect((await lemmy.post(`${hub.origin}/inbox`, create, alpha)).status).toBe(202);
    const [thread] = await eventually(
      discussions,
      (items) => items.length === 1,
      "the Lemmy post",
      [hub],
    );
    expect(thread).toMatchObject({ title: "test post", source: "test body" });
    expect(thread.author.handle).toBe(`@lemmy_alpha@${new URL(lemmy.origin).host}`);
  });

  it("relays a thread started here to Lemmy as an Announce addressed with the full public URL", async () => {
    await hub.request("POST", "/api/v1/communities/commons/discussions", {
      token: admin.token,
      body: { title: "Shock-responsive programmes", content: "Share your designs." },
    });
    const announce = await eventually(
      async () =>
        lemmy.received.find(
          (a) => a.type === "Announce" && a.object?.object?.name === "Shock-responsive programmes",
        ),
      (found) => found !== undefined,
      "the Announce at Lemmy",
      [hub],
    );
    expect(announce.actor).toBe(group);
    expect(announce.to).toContain(publicAddress);
    expect(announce.object.type).toBe("Create");
    expect(announce.object.object).toMatchObject({ type: "Page", audience: group });
  });

  it("takes a Lemmy comment, vote and deletion", async () => {
    const thread = (await discussions()).find(
      (item) => item.title === "Shock-responsive programmes",
    );
    const comment = fromLemmy("create_or_update/create_comment.json", 3, (a) => {
      a.object = {
        ...a.object,
        id: `${lemmy.origin}/comment/1`,
        attributedTo: alpha.id,
        inReplyTo: thread.uri,
        audience: group,
        cc: [group],
      };
      a.tag = [];
    });
    expect((await lemmy.post(`${hub.origin}/inbox`, comment, alpha)).status).toBe(202);
    await eventually(
      async () =>
        (await hub.request("GET", `/api/v1/posts/${thread.id}/comments`)).body.items.length,
      (count) => count === 1,
      "the Lemmy comment",
      [hub],
    );
    const vote = fromLemmy("voting/like_note.json", 4, (a) => {
      a.object = thread.uri;
    });
    await lemmy.post(`${hub.origin}/inbox`, vote, alpha);
    await eventually(
      async () => (await hub.request("GET", `/api/v1/posts/${thread.id}`)).body.likeCount,
      (count) => count === 1,
      "the vote",
      [hub],
    );
    const deletion = fromLemmy("deletion/delete_page.json", 5, (a) => {
      a.object = `${lemmy.origin}/post/1`;
    });
    await lemmy.post(`${hub.origin}/inbox`, deletion, alpha);
    await eventually(
      async () => (await discussions()).some((item) => item.title === "test post"),
      (present) => !present,
      "the deleted Lemmy post",
      [hub],
    );
  });
});
