import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Person } from "../support/client.ts";
import { eventually, type Peer, startPeer } from "../support/peer.ts";
import { killLaunched } from "../support/process.ts";
import {
  contexts,
  ed25519KeyPair,
  publicAddress,
  type RawActor,
  type RawPeer,
  type SignatureStyle,
  signedRequest,
  startRawPeer,
  withIntegrityProof,
} from "../support/raw-peer.ts";

/**
 * A hostile server tries to speak and read as someone it is not. Its requests are signed by
 * hand with node:crypto (test/support/raw-peer.ts), never through Fedify, so that these tests
 * do not share the bug they look for.
 */
describe("the federation trust boundary", () => {
  let hub: Peer;
  let partner: Peer;
  let victims: RawPeer;
  let attacker: RawPeer;
  let outsider: RawPeer;
  let admin: Person;
  let partnerAdmin: Person;
  let victor: RawActor;
  let memberPostUri: string;
  let n = 0;

  const group = (slug: string, at: Peer = hub) => `${at.origin}/actors/${slug}`;

  /** A Lemmy-shaped new thread in `slug`, by `author`, with its object on the author's server. */
  function newThread(author: string, title: string, slug = "commons", at: Peer = hub) {
    const id = `${new URL(author).origin}/posts/${++n}`;
    const to = [group(slug, at), publicAddress];
    return {
      "@context": contexts,
      id: `${id}/create`,
      type: "Create",
      actor: author,
      to,
      object: {
        id,
        type: "Page",
        attributedTo: author,
        name: title,
        content: `<p>${title}</p>`,
        mediaType: "text/html",
        audience: group(slug, at),
        to,
        published: new Date().toISOString(),
      },
    };
  }

  const follow = (actor: string, object: string) => ({
    "@context": contexts,
    id: `${actor}#follows/${++n}`,
    type: "Follow",
    actor,
    object,
  });

  const post = (
    inbox: string,
    activity: unknown,
    signer: { keyId: string; privateKey: RawActor["privateKey"] },
    style?: SignatureStyle,
  ) => fetch(signedRequest("POST", inbox, signer, activity, style));

  const titles = async () =>
    (await hub.request("GET", "/api/v1/communities/commons/discussions")).body.items.map(
      (item: { title: string }) => item.title,
    );

  /** Waits for a genuine thread of victor's, so that anything forged before it had its chance. */
  async function afterGenuineThread(title: string) {
    const sent = await post(`${group("commons")}/inbox`, newThread(victor.id, title), victor);
    expect(sent.status).toBe(202);
    return eventually(titles, (list) => list.includes(title), `the thread "${title}"`, [hub]);
  }

  const memberHandles = async (at: Peer, token: string, slug: string) =>
    (await at.request("GET", `/api/v1/communities/${slug}/members`, { token })).body.items.map(
      (m: { account: { handle: string } }) => m.account.handle,
    );

  beforeAll(async () => {
    [victims, attacker, outsider] = await Promise.all([
      startRawPeer("127.0.0.21"),
      startRawPeer("127.0.0.22"),
      startRawPeer("127.0.0.24"),
    ]);
    [hub, partner] = await Promise.all([
      startPeer("127.0.0.20"),
      startPeer("127.0.0.23", { FEDERATION_ALLOWLIST: "127.0.0.22,127.0.0.20" }),
    ]);
    admin = await hub.signUp("hubadmin");
    for (const [slug, privacy] of [
      ["commons", "open"],
      ["lounge", "public"],
    ] as const) {
      await hub.request("POST", "/api/v1/communities", {
        token: admin.token,
        body: { slug, name: slug, summary: "", privacy },
      });
    }
    const memberPost = await hub.request("POST", "/api/v1/communities/lounge/discussions", {
      token: admin.token,
      body: { title: "Members only", content: "For the lounge's members." },
    });
    memberPostUri = memberPost.body.uri;
    victor = victims.person("victor");
    for (const slug of ["commons", "lounge"]) {
      expect(
        (await post(`${group(slug)}/inbox`, follow(victor.id, group(slug)), victor)).status,
      ).toBe(202);
      await eventually(
        () => memberHandles(hub, admin.token, slug),
        (handles) => handles.includes(`@victor@${victims.host}`),
        `victor in ${slug}`,
        [hub],
      );
    }
    partnerAdmin = await partner.signUp("partneradmin");
    await partner.request("POST", "/api/v1/communities", {
      token: partnerAdmin.token,
      body: { slug: "network", name: "Network", summary: "", privacy: "open" },
    });
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([
      hub?.stop(),
      partner?.stop(),
      victims?.close(),
      attacker?.close(),
      outsider?.close(),
    ]);
    await killLaunched();
  });

  for (const style of ["draft-cavage", "rfc9421"] as const) {
    it(`refuses a key served by another server that names a member as owner (${style})`, async () => {
      const { publicKeyPem, privateKey } = attacker.keyPair();
      const keyId = `${attacker.origin}/keys/${style}`;
      attacker.serve(`/keys/${style}`, {
        "@context": contexts,
        id: keyId,
        type: "CryptographicKey",
        owner: victor.id,
        publicKeyPem,
      });
      const forged = `Forged with a ${style} key`;
      const sent = await post(
        `${group("commons")}/inbox`,
        newThread(victor.id, forged),
        { keyId, privateKey },
        style,
      );
      expect(sent.status).toBe(401);
      expect(await afterGenuineThread(`Genuine after ${style}`)).not.toContain(forged);
    });
  }

  it("refuses an Object Integrity Proof by a Multikey served elsewhere that names a member", async () => {
    const { publicKeyMultibase, privateKey } = ed25519KeyPair();
    const keyId = `${attacker.origin}/keys/multikey`;
    attacker.serve("/keys/multikey", {
      "@context": ["https://w3id.org/security/multikey/v1"],
      id: keyId,
      type: "Multikey",
      controller: victor.id,
      publicKeyMultibase,
    });
    const forged = "Forged with a proof";
    const activity = {
      ...newThread(victor.id, forged),
      "@context": [...contexts, "https://w3id.org/security/data-integrity/v1"],
    };
    const sent = await fetch(`${group("commons")}/inbox`, {
      method: "POST",
      headers: { "content-type": "application/activity+json" },
      body: JSON.stringify(withIntegrityProof(activity, { keyId, privateKey })),
    });
    expect(sent.status).toBe(401);
    expect(await afterGenuineThread("Genuine after the proof")).not.toContain(forged);
  });

  it("refuses an actor document whose key names someone else as its owner", async () => {
    const { publicKeyPem, privateKey } = attacker.keyPair();
    const id = `${attacker.origin}/users/decoy`;
    attacker.serve("/users/decoy", {
      "@context": contexts,
      id,
      type: "Person",
      preferredUsername: "decoy",
      inbox: `${id}/inbox`,
      publicKey: { id: `${id}#main-key`, owner: victor.id, publicKeyPem },
    });
    const forged = "Forged through a decoy actor";
    const sent = await post(`${group("commons")}/inbox`, newThread(victor.id, forged), {
      keyId: `${id}#main-key`,
      privateKey,
    });
    expect(sent.status).toBe(401);
    expect(await afterGenuineThread("Genuine after the decoy")).not.toContain(forged);
  });

  // Like a member's upload on victor's own server (Fedify already ignores embedded keys
  // from another origin than their document's).
  it("refuses a document that claims the id of an actor it is not served as", async () => {
    const { publicKeyPem, privateKey } = attacker.keyPair();
    const keyId = `${victims.origin}/uploads/victor.json#main-key`;
    victims.serve("/uploads/victor.json", {
      ...victor.document,
      publicKey: { id: keyId, owner: victor.id, publicKeyPem },
    });
    const forged = "Forged by a copy of victor";
    const sent = await post(`${group("commons")}/inbox`, newThread(victor.id, forged), {
      keyId,
      privateKey,
    });
    expect(sent.status).toBe(401);
    expect(await afterGenuineThread("Genuine after the copy")).not.toContain(forged);
  });

  it("does not let a signed GET read members-only posts as someone else", async () => {
    const genuine = await fetch(signedRequest("GET", memberPostUri, victor));
    expect(genuine.status).toBe(200);
    const { publicKeyPem, privateKey } = attacker.keyPair();
    const keyId = `${victims.origin}/uploads/reader.json#main-key`;
    victims.serve("/uploads/reader.json", {
      ...victor.document,
      publicKey: { id: keyId, owner: victor.id, publicKeyPem },
    });
    const forged = await fetch(signedRequest("GET", memberPostUri, { keyId, privateKey }));
    expect(forged.status).not.toBe(200);
    expect(await forged.text()).not.toContain("For the lounge");
  });

  it("takes no actor from a file that is not an ActivityPub document", async () => {
    const { publicKeyPem, privateKey } = attacker.keyPair();
    const id = `${attacker.origin}/uploads/mallory.txt`;
    attacker.serve(
      "/uploads/mallory.txt",
      {
        "@context": contexts,
        id,
        type: "Person",
        preferredUsername: "mallory",
        inbox: `${attacker.origin}/inbox`,
        publicKey: { id: `${id}#main-key`, owner: id, publicKeyPem },
      },
      "text/plain",
    );
    const sent = await post(`${group("commons")}/inbox`, follow(id, group("commons")), {
      keyId: `${id}#main-key`,
      privateKey,
    });
    expect(sent.status).toBe(401);
    expect(await memberHandles(hub, admin.token, "commons")).not.toContain(
      `@mallory@${attacker.host}`,
    );
  });

  for (const type of ["text/plain", "application/activity+json"]) {
    it(`lets no outside server in with a key file on an allowed one (${type})`, async () => {
      const oscar = outsider.person(`oscar-${type.length}`);
      const { publicKeyPem, privateKey } = attacker.keyPair();
      const keyId = `${attacker.origin}/files/key-${type.length}`;
      attacker.serve(
        `/files/key-${type.length}`,
        {
          "@context": contexts,
          id: keyId,
          type: "CryptographicKey",
          owner: oscar.id,
          publicKeyPem,
        },
        type,
      );
      oscar.document.publicKey = { id: keyId, owner: oscar.id, publicKeyPem };
      outsider.serve(new URL(oscar.id).pathname, oscar.document);
      const sent = await post(
        `${group("network", partner)}/inbox`,
        follow(oscar.id, group("network", partner)),
        {
          keyId,
          privateKey,
        },
      );
      expect([401, 403]).toContain(sent.status);
      expect(await memberHandles(partner, partnerAdmin.token, "network")).not.toContain(
        `@${new URL(oscar.id).pathname.split("/").pop()}@${outsider.host}`,
      );
    });
  }

  it("answers no signed GET from a server outside the allowlist", async () => {
    const oscar = outsider.person("oscar-reader");
    const answer = await fetch(signedRequest("GET", `${group("network", partner)}/outbox`, oscar));
    expect(answer.status).toBe(403);
  });

  it("ends a blocked server's members' reading at once", async () => {
    expect((await fetch(signedRequest("GET", memberPostUri, victor))).status).toBe(200);
    const blocked = await hub.request("POST", "/api/v1/admin/domain-blocks", {
      token: admin.token,
      body: { domain: victims.host, reason: "compromised" },
    });
    expect(blocked.status).toBe(201);
    try {
      const answer = await fetch(signedRequest("GET", memberPostUri, victor));
      expect(answer.status).toBe(403);
      expect(await answer.text()).not.toContain("For the lounge");
      const outbox = await fetch(signedRequest("GET", `${group("lounge")}/outbox`, victor));
      expect(outbox.status).toBe(403);
    } finally {
      await hub.request("DELETE", `/api/v1/admin/domain-blocks/${victims.host}`, {
        token: admin.token,
      });
    }
  });
});
