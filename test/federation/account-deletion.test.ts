import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Person } from "../support/client.ts";
import { testPassword } from "../support/client.ts";
import { eventually, type Peer, startPeer } from "../support/peer.ts";
import { killLaunched } from "../support/process.ts";
import {
  contexts,
  type RawActor,
  type RawPeer,
  signedRequest,
  startRawPeer,
} from "../support/raw-peer.ts";

const activityJson = "application/activity+json";

/**
 * A local person deletes their account: the servers that know them (here a raw peer, whose
 * person is a member of a community they were in) get `Delete(Person)`, and fetching the
 * person afterwards answers 410 Gone with a Tombstone, as Mastodon expects of a deleted actor.
 */
describe("deleting an account, across servers", () => {
  let hub: Peer;
  let elsewhere: RawPeer;
  let remote: RawActor;
  let leaving: Person;

  const actorOf = (name: string) => `${hub.origin}/actors/${name}`;
  const fetchActor = (name: string) =>
    fetch(signedRequest("GET", actorOf(name), remote), { headers: { accept: activityJson } });

  beforeAll(async () => {
    [hub, elsewhere] = await Promise.all([startPeer("127.0.5.20"), startRawPeer("127.0.5.21")]);
    const admin = await hub.signUp("convenor");
    await hub.request("POST", "/api/v1/communities", {
      token: admin.token,
      body: { slug: "commons", name: "Commons", summary: "", privacy: "open" },
    });
    leaving = await hub.signUp("leila");
    await hub.request("POST", "/api/v1/communities/commons/join", { token: leaving.token });
    remote = elsewhere.person("ana");
    const follow = {
      "@context": contexts,
      id: `${remote.id}#follows/1`,
      type: "Follow",
      actor: remote.id,
      object: actorOf("commons"),
    };
    const answer = await fetch(
      signedRequest("POST", `${actorOf("commons")}/inbox`, remote, follow),
    );
    expect(answer.status).toBeLessThan(300);
    await eventually(
      async () => elsewhere.received.some((r) => r.body?.type === "Accept"),
      (accepted) => accepted,
      "the remote member's Follow accepted",
      [hub],
    );
  }, 120_000);

  afterAll(async () => {
    await killLaunched();
    await elsewhere?.close();
  });

  it("sends Delete(Person) to the servers that know the person, whose actor then answers 410 with a Tombstone", async () => {
    expect((await fetchActor("leila")).status).toBe(200);
    const deleted = await hub.request("DELETE", "/api/v1/me", {
      token: leaving.token,
      body: { password: testPassword, content: "anonymise" },
    });
    expect(deleted.status).toBe(204);

    const deletion = await eventually(
      async () =>
        elsewhere.received.find(
          (r) => r.body?.type === "Delete" && r.body?.actor === actorOf("leila"),
        )?.body,
      (found) => found !== undefined,
      "Delete(Person) at the remote server",
      [hub],
    );
    expect(deletion.object).toBe(actorOf("leila"));

    const gone = await fetchActor("leila");
    expect(gone.status).toBe(410);
    const tombstone = await gone.json();
    expect(tombstone.type).toBe("Tombstone");
    expect(tombstone.id).toBe(actorOf("leila"));
    // Fedify compacts the type IRI against the ActivityStreams context: `as:Person`.
    expect(tombstone.formerType).toMatch(/^(as:)?Person$/);
    // The community's own actor, and its other people, are untouched.
    expect((await fetchActor("convenor")).status).toBe(200);
    expect((await fetchActor("commons")).status).toBe(200);
  });

  it("deletes the writing of a person who asks, by the Delete each post would get", async () => {
    const author = await hub.signUp("omar");
    await hub.request("POST", "/api/v1/communities/commons/join", { token: author.token });
    const post = await hub.request("POST", "/api/v1/communities/commons/discussions", {
      token: author.token,
      body: { title: "Seed bank", content: "Who keeps the seed bank keys?" },
    });
    const deleted = await hub.request("DELETE", "/api/v1/me", {
      token: author.token,
      body: { password: testPassword, content: "delete" },
    });
    expect(deleted.status).toBe(204);

    const deletesOf = (id: string) =>
      elsewhere.received.filter(
        (r) => r.body?.type === "Delete" && (r.body.object?.id ?? r.body.object) === id,
      );
    await eventually(
      async () => deletesOf(post.body.uri).length,
      (count) => count > 0,
      "Delete of the post at the remote server",
      [hub],
    );
    expect(deletesOf(post.body.uri)[0]?.body.actor).toBe(actorOf("omar"));
    await eventually(
      async () => deletesOf(actorOf("omar")).length,
      (count) => count > 0,
      "Delete(Person) of the author at the remote server",
      [hub],
    );
  });
});
