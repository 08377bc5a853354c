import { createPublicKey } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../db/embedded.ts";
import type { Person } from "../support/client.ts";
import { eventually, type Peer, startPeer } from "../support/peer.ts";
import { killLaunched } from "../support/process.ts";
import {
  contexts,
  ed25519KeyPair,
  type RawActor,
  type RawPeer,
  type SignatureStyle,
  signedRequest,
  startRawPeer,
} from "../support/raw-peer.ts";

/** Mitra's actor context (mitra_activitypub/src/actors/builders.rs, build_actor_context). */
const mitraContexts = [
  "https://www.w3.org/ns/activitystreams",
  "https://www.w3.org/ns/cid/v1",
  "https://w3id.org/security/v1",
  "https://w3id.org/security/data-integrity/v2",
];

/**
 * What arrives at an inbox from servers that are not Mastodon, or from a Mastodon-shaped one
 * in an unusual state: Ed25519 signatures, a broken key in an Update, two actors of one
 * server under one name, an Accept of a Follow nobody sent, and a hidden community's guest.
 * Every peer is a raw one (test/support/raw-peer.ts): it signs with node:crypto, not Fedify.
 */
describe("inbox robustness", () => {
  let hub: Peer;
  let signers: RawPeer;
  let updaters: RawPeer;
  let namesakes: RawPeer;
  let groups: RawPeer;
  let guests: RawPeer;
  let admin: Person;
  let n = 0;

  const group = (slug: string) => `${hub.origin}/actors/${slug}`;
  const follow = (actor: string, slug = "commons") => ({
    "@context": contexts,
    id: `${actor}#follows/${++n}`,
    type: "Follow",
    actor,
    object: group(slug),
  });
  const post = (
    inbox: string,
    activity: unknown,
    signer: { keyId: string; privateKey: RawActor["privateKey"] },
    style?: SignatureStyle,
  ) => fetch(signedRequest("POST", inbox, signer, activity, style));

  const members = async (slug = "commons") =>
    (
      await hub.request("GET", `/api/v1/communities/${slug}/members`, { token: admin.token })
    ).body.items.map((m: { account: { handle: string; displayName: string } }) => m.account);
  const memberHandles = async (slug = "commons") =>
    (await members(slug)).map((account: { handle: string }) => account.handle);
  const handleAt = (peer: RawPeer, name: string) => `@${name}@${peer.host}`;
  const becomesMember = (handle: string, slug = "commons") =>
    eventually(
      () => memberHandles(slug),
      (handles) => handles.includes(handle),
      `${handle} in ${slug}`,
      [hub],
    );

  /** A Person as Mitra serves one: an RSA `publicKey`, and its Ed25519 key in `assertionMethod`. */
  function mitraPerson(peer: RawPeer, name: string) {
    const id = `${peer.origin}/users/${name}`;
    const rsa = peer.keyPair();
    const ed25519 = ed25519KeyPair();
    const keyId = `${id}#ed25519-key`;
    const document: Record<string, unknown> = {
      "@context": mitraContexts,
      id,
      type: "Person",
      preferredUsername: name,
      inbox: `${id}/inbox`,
      outbox: `${id}/outbox`,
      followers: `${id}/followers`,
      assertionMethod: [
        {
          id: keyId,
          type: "Multikey",
          controller: id,
          publicKeyMultibase: ed25519.publicKeyMultibase,
        },
      ],
      publicKey: { id: `${id}#main-key`, owner: id, publicKeyPem: rsa.publicKeyPem },
    };
    peer.serve(`/users/${name}`, document);
    return { id, keyId, privateKey: ed25519.privateKey, document };
  }

  /** A Person whose only `publicKey` is an Ed25519 key, as SPKI PEM. */
  function ed25519PemPerson(peer: RawPeer, name: string) {
    const id = `${peer.origin}/users/${name}`;
    const { privateKey } = ed25519KeyPair();
    const keyId = `${id}#main-key`;
    const publicKeyPem = createPublicKey(privateKey).export({ type: "spki", format: "pem" });
    peer.serve(`/users/${name}`, {
      "@context": contexts,
      id,
      type: "Person",
      preferredUsername: name,
      inbox: `${id}/inbox`,
      outbox: `${id}/outbox`,
      followers: `${id}/followers`,
      publicKey: { id: keyId, owner: id, publicKeyPem },
    });
    return { id, keyId, privateKey };
  }

  beforeAll(async () => {
    [hub, signers, updaters, namesakes, groups, guests] = await Promise.all([
      startPeer("127.0.0.140", { LOG_LEVEL: "info" }),
      startRawPeer("127.0.0.141"),
      startRawPeer("127.0.0.142"),
      startRawPeer("127.0.0.143"),
      startRawPeer("127.0.0.144"),
      startRawPeer("127.0.0.145"),
    ]);
    admin = await hub.signUp("hubadmin");
    for (const [slug, privacy, hidden] of [
      ["commons", "open", false],
      ["backroom", "private", true],
    ] as const) {
      const created = await hub.request("POST", "/api/v1/communities", {
        token: admin.token,
        body: { slug, name: slug, summary: "", privacy, hidden },
      });
      expect(created.status).toBe(201);
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([
      hub?.stop(),
      ...[signers, updaters, namesakes, groups, guests].map((peer) => peer?.close()),
    ]);
    await killLaunched();
  });

  describe("Ed25519 HTTP signatures", () => {
    it("accepts an RFC 9421 ed25519 signature by the Multikey a Mitra actor lists in assertionMethod", async () => {
      const mira = mitraPerson(signers, "mira");
      const sent = await post(`${group("commons")}/inbox`, follow(mira.id), mira, "rfc9421");
      expect(sent.status).toBe(202);
      expect(await becomesMember(handleAt(signers, "mira"))).toContain(handleAt(signers, "mira"));
    });

    it("accepts an RFC 9421 ed25519 signature by an Ed25519 publicKey given as PEM", async () => {
      const pema = ed25519PemPerson(signers, "pema");
      const sent = await post(`${group("commons")}/inbox`, follow(pema.id), pema, "rfc9421");
      expect(sent.status).toBe(202);
      expect(await becomesMember(handleAt(signers, "pema"))).toContain(handleAt(signers, "pema"));
    });

    // Fedify 2.3.6 checks every draft-cavage signature as RSA, whatever the key.
    for (const [shape, person] of [
      ["Multikey", mitraPerson],
      ["PEM", ed25519PemPerson],
    ] as const) {
      it(`answers a draft-cavage hs2019 signature by an Ed25519 ${shape} key with 401, never 500`, async () => {
        const name = `cavage-${shape.toLowerCase()}`;
        const cava = person(signers, name);
        const sent = await post(`${group("commons")}/inbox`, follow(cava.id), cava, "draft-cavage");
        expect(sent.status).toBe(401);
        expect(await sent.text()).toMatch(/RFC 9421/);
        expect(await memberHandles()).not.toContain(handleAt(signers, name));
      });
    }

    it("refuses an Ed25519 Multikey that its actor's document says another actor controls", async () => {
      const forger = mitraPerson(signers, "forger");
      const [key] = forger.document.assertionMethod as Record<string, unknown>[];
      const victim = `${signers.origin}/users/mira`;
      signers.serve("/users/forger", {
        ...forger.document,
        assertionMethod: [{ ...key, controller: victim }],
      });
      const sent = await post(`${group("commons")}/inbox`, follow(victim), forger, "rfc9421");
      expect(sent.status).toBe(401);
    });
  });

  describe("an Update of a person whose publicKeyPem is malformed", () => {
    const brokenPem = "-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----\n";
    let ulla: RawActor;

    const updateOf = (actor: RawActor, changes: Record<string, unknown>) => ({
      "@context": contexts,
      id: `${actor.id}#updates/${++n}`,
      type: "Update",
      actor: actor.id,
      object: { ...actor.document, ...changes },
    });
    const displayNameOf = async (handle: string) =>
      (await members()).find((account: { handle: string }) => account.handle === handle)
        ?.displayName;

    beforeAll(async () => {
      ulla = updaters.person("ulla");
      expect((await post(`${group("commons")}/inbox`, follow(ulla.id), ulla)).status).toBe(202);
      await becomesMember(handleAt(updaters, "ulla"));
    });

    it("refuses an Update carrying a broken key with a 400, not a 500, and keeps the copy and its key", async () => {
      const broken = updateOf(ulla, {
        name: "Mallory",
        publicKey: { id: ulla.keyId, owner: ulla.id, publicKeyPem: brokenPem },
      });
      const sent = await post(`${hub.origin}/inbox`, broken, ulla);
      expect(sent.status).toBe(400);
      expect(await sent.text()).toMatch(/public key/);
      // The good key still signs: the next Update is taken, and ulla re-read from her server.
      updaters.serve("/users/ulla", { ...ulla.document, name: "Ulla R." });
      expect((await post(`${hub.origin}/inbox`, updateOf(ulla, {}), ulla)).status).toBe(202);
      await eventually(
        () => displayNameOf(handleAt(updaters, "ulla")),
        (name) => name === "Ulla R.",
        "ulla's new name",
        [hub],
      );
    });

    it("refuses an Update whose actor's own document now has a broken key with a 400, and keeps the copy", async () => {
      const vera = updaters.person("vera");
      expect((await post(`${group("commons")}/inbox`, follow(vera.id), vera)).status).toBe(202);
      await becomesMember(handleAt(updaters, "vera"));
      const brokenDocument = {
        ...vera.document,
        name: "Mallory",
        publicKey: { id: vera.keyId, owner: vera.id, publicKeyPem: brokenPem },
      };
      updaters.serve("/users/vera", brokenDocument);
      const sent = await post(
        `${hub.origin}/inbox`,
        updateOf({ ...vera, document: brokenDocument }, {}),
        vera,
      );
      expect(sent.status).toBe(400);
      expect(await displayNameOf(handleAt(updaters, "vera"))).toBe("vera");
    });
  });

  describe("two actors of one server under one name", () => {
    it("keeps both, the handle naming the first and the second shown by its id", async () => {
      const first = namesakes.person("alice", { displayName: "Alice of users" });
      const second = namesakes.person("alice", {
        path: "/people/alice",
        displayName: "Alice of people",
      });
      expect((await post(`${group("commons")}/inbox`, follow(first.id), first)).status).toBe(202);
      await becomesMember(handleAt(namesakes, "alice"));
      expect((await post(`${group("commons")}/inbox`, follow(second.id), second)).status).toBe(202);
      await becomesMember(second.id);
      const found = await hub.request(
        "GET",
        `/api/v1/lookup?handle=${encodeURIComponent(handleAt(namesakes, "alice"))}`,
      );
      expect(found.body.account.displayName).toBe("Alice of users");
      expect(found.body.account.handle).toBe(handleAt(namesakes, "alice"));
    });

    it("gives the handle to the second once the first's own document no longer goes by it", async () => {
      const first = namesakes.person("bea", { displayName: "Bea of users" });
      const second = namesakes.person("bea", { path: "/people/bea", displayName: "Bea of people" });
      for (const actor of [first, second]) {
        expect((await post(`${group("commons")}/inbox`, follow(actor.id), actor)).status).toBe(202);
        await becomesMember(actor === first ? handleAt(namesakes, "bea") : second.id);
      }
      namesakes.serve("/users/bea", { ...first.document, preferredUsername: "beatrix" });
      const update = { "@context": contexts, id: `${first.id}#updates/${++n}`, type: "Update" };
      const renamed = { ...update, actor: first.id, object: first.id };
      expect((await post(`${hub.origin}/inbox`, renamed, first)).status).toBe(202);
      await becomesMember(handleAt(namesakes, "beatrix"));
      const noticed = {
        ...update,
        id: `${second.id}#updates/${++n}`,
        actor: second.id,
        object: second.id,
      };
      expect((await post(`${hub.origin}/inbox`, noticed, second)).status).toBe(202);
      const handles = await becomesMember(handleAt(namesakes, "bea"));
      expect(handles).not.toContain(second.id);
    });
  });

  describe("an Accept of a Follow this server never sent", () => {
    let lina: Person;
    let circle: RawActor;
    const ref = () => `circle@${groups.host}`;
    const linaInbox = () => `${hub.origin}/actors/lina/inbox`;
    const accept = (object: unknown) => ({
      "@context": contexts,
      id: `${circle.id}#accepts/${++n}`,
      type: "Accept",
      actor: circle.id,
      object,
    });
    const stateOfLina = async () =>
      (await hub.request("GET", `/api/v1/communities/${ref()}`, { token: lina.token })).body.viewer
        ?.state;

    beforeAll(async () => {
      const id = `${groups.origin}/groups/circle`;
      const { publicKeyPem, privateKey } = groups.keyPair();
      const document = {
        "@context": contexts,
        id,
        type: "Group",
        preferredUsername: "circle",
        name: "Circle",
        manuallyApprovesFollowers: true,
        inbox: `${id}/inbox`,
        outbox: `${id}/outbox`,
        followers: `${id}/followers`,
        publicKey: { id: `${id}#main-key`, owner: id, publicKeyPem },
      };
      groups.serve("/groups/circle", document);
      groups.serve(
        "/.well-known/webfinger",
        {
          subject: `acct:${ref()}`,
          links: [{ rel: "self", type: "application/activity+json", href: id }],
        },
        "application/jrd+json",
      );
      circle = { id, inbox: `${id}/inbox`, keyId: `${id}#main-key`, privateKey, document };
      lina = await hub.signUp("lina");
      const joined = await hub.request("POST", `/api/v1/communities/${ref()}/join`, {
        token: lina.token,
        body: {},
      });
      expect(joined.body.state).toBe("pending");
    });

    for (const [where, followUrl] of [
      ["on the group's server", async () => `${groups.origin}/follows/gone`],
      ["on this server", async () => `${hub.origin}/follows/never-sent`],
      // Nothing listens there: a fetch of the Follow would fail again on every retry.
      [
        "on a server that does not answer",
        async () => `http://127.0.0.144:${await freePort("127.0.0.144")}/follows/x`,
      ],
    ] as const) {
      it(`answers and drops an Accept whose Follow ${where} cannot be read, with a log line`, async () => {
        const answer = accept(await followUrl());
        const sent = await post(linaInbox(), answer, circle);
        expect(sent.status).toBe(202);
        await eventually(
          async () => hub.praxis.stdout().includes(answer.id),
          (logged) => logged,
          "a log line about the dropped Accept",
          [hub],
        );
        expect(hub.praxis.stdout()).not.toContain(
          `Failed to process the incoming activity '${answer.id}'`,
        );
        expect(await stateOfLina()).toBe("pending");
      });
    }

    it("still takes the Accept of the Follow it did send", async () => {
      const sentFollow = await eventually(
        async () => groups.received.find((item) => item.body?.type === "Follow")?.body,
        (follow) => follow !== undefined,
        "lina's Follow at the circle",
        [hub],
      );
      expect((await post(linaInbox(), accept(sentFollow), circle)).status).toBe(202);
      await eventually(stateOfLina, (state) => state === "active", "lina in the circle", [hub]);
    });
  });

  describe("a hidden community's guest from another server", () => {
    const invite = (name: string) =>
      hub.request("POST", "/api/v1/communities/backroom/invitations", {
        token: admin.token,
        body: { handle: handleAt(guests, name) },
      });
    const joinBackroom = (actor: RawActor) =>
      post(`${group("backroom")}/inbox`, follow(actor.id, "backroom"), actor);

    it("admits a person invited by handle before their server answered for it", async () => {
      const hugo = guests.person("hugo");
      expect((await invite("hugo")).status).toBe(201);
      expect((await joinBackroom(hugo)).status).toBe(202);
      await becomesMember(handleAt(guests, "hugo"), "backroom");
    });

    it("admits a person invited by handle whom their server's WebFinger named", async () => {
      const gina = guests.person("gina");
      guests.serve(
        "/.well-known/webfinger",
        {
          subject: `acct:gina@${guests.host}`,
          links: [{ rel: "self", type: "application/activity+json", href: gina.id }],
        },
        "application/jrd+json",
      );
      expect((await invite("gina")).status).toBe(201);
      expect((await joinBackroom(gina)).status).toBe(202);
      await becomesMember(handleAt(guests, "gina"), "backroom");
    });

    it("answers a stranger's Follow as a name nobody holds, and admits no one", async () => {
      const stranger = guests.person("stranger");
      expect((await joinBackroom(stranger)).status).toBe(404);
      expect(await memberHandles("backroom")).not.toContain(handleAt(guests, "stranger"));
    });
  });
});
