import { createHash, sign } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Person } from "../support/client.ts";
import { eventually, type Peer, startPeer } from "../support/peer.ts";
import { killLaunched } from "../support/process.ts";
import {
  contexts,
  type RawActor,
  type RawPeer,
  type SignatureStyle,
  signedRequest,
  startRawPeer,
} from "../support/raw-peer.ts";

const activityJson = "application/activity+json";

/**
 * A POST whose body digest is sent but left out of what the signature covers, so that anyone
 * who intercepts it may swap the body and recompute the digest. Signed by hand like
 * raw-peer.ts's `signedRequest`, which always covers the digest.
 */
function signedWithoutDigest(url: string, signer: RawActor, body: unknown, style: SignatureStyle) {
  const target = new URL(url);
  const text = JSON.stringify(body);
  const sha256 = createHash("sha256").update(text).digest("base64");
  const headers: Record<string, string> = {
    host: target.host,
    date: new Date().toUTCString(),
    "content-type": activityJson,
  };
  if (style === "draft-cavage") {
    headers.digest = `SHA-256=${sha256}`;
    const base = [
      `(request-target): post ${target.pathname}`,
      `host: ${headers.host}`,
      `date: ${headers.date}`,
    ].join("\n");
    const signature = sign("sha256", Buffer.from(base), signer.privateKey).toString("base64");
    headers.signature =
      `keyId="${signer.keyId}",algorithm="rsa-sha256",headers="(request-target) host date",` +
      `signature="${signature}"`;
  } else {
    headers["content-digest"] = `sha-256=:${sha256}:`;
    const parameters =
      `("@method" "@target-uri" "@authority");created=${Math.floor(Date.now() / 1000)};` +
      `keyid="${signer.keyId}";alg="rsa-v1_5-sha256"`;
    const base = [
      `"@method": POST`,
      `"@target-uri": ${target.href}`,
      `"@authority": ${target.host}`,
      `"@signature-params": ${parameters}`,
    ].join("\n");
    const signature = sign("sha256", Buffer.from(base), signer.privateKey).toString("base64");
    headers["signature-input"] = `sig1=${parameters}`;
    headers.signature = `sig1=:${signature}:`;
  }
  return new Request(url, { method: "POST", headers, body: text });
}

describe("the body digest a delivery's signature must cover", () => {
  let hub: Peer;
  let senders: RawPeer;
  let admin: Person;
  let n = 0;

  const inbox = () => `${hub.origin}/actors/commons/inbox`;
  const handle = (actor: RawActor) =>
    `@${new URL(actor.id).pathname.split("/").pop()}@${senders.host}`;
  const follow = (actor: RawActor) => ({
    "@context": contexts,
    id: `${actor.id}#follows/${++n}`,
    type: "Follow",
    actor: actor.id,
    object: `${hub.origin}/actors/commons`,
  });

  const memberHandles = async () =>
    (
      await hub.request("GET", "/api/v1/communities/commons/members", { token: admin.token })
    ).body.items.map((m: { account: { handle: string } }) => m.account.handle);

  /** Joins with a signature that covers the digest; waits until `actor` is a member. */
  async function joinWithDigest(actor: RawActor, style: SignatureStyle) {
    const sent = await fetch(signedRequest("POST", inbox(), actor, follow(actor), style));
    expect(sent.status).toBe(202);
    return eventually(memberHandles, (handles) => handles.includes(handle(actor)), handle(actor), [
      hub,
    ]);
  }

  beforeAll(async () => {
    [hub, senders] = await Promise.all([startPeer("127.0.0.70"), startRawPeer("127.0.0.71")]);
    admin = await hub.signUp("hubadmin");
    await hub.request("POST", "/api/v1/communities", {
      token: admin.token,
      body: { slug: "commons", name: "Commons", summary: "", privacy: "open" },
    });
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([hub?.stop(), senders?.close()]);
    await killLaunched();
  });

  for (const style of ["draft-cavage", "rfc9421"] as const) {
    it(`refuses a Follow whose ${style} signature leaves out the digest, and makes no member`, async () => {
      const mallory = senders.person(`uncovered-${style}`);
      const sent = await fetch(signedWithoutDigest(inbox(), mallory, follow(mallory), style));
      expect(sent.status).toBe(401);
      const members = await joinWithDigest(senders.person(`after-uncovered-${style}`), style);
      expect(members).not.toContain(handle(mallory));
    });

    it(`refuses a signed Like whose body was swapped for a Follow (${style})`, async () => {
      const mallory = senders.person(`swapped-${style}`);
      const like = { ...follow(mallory), type: "Like", object: `${hub.origin}/actors/commons` };
      const signed = signedRequest("POST", inbox(), mallory, like, style);
      const sent = await fetch(new Request(signed, { body: JSON.stringify(follow(mallory)) }));
      expect(sent.status).toBe(401);
      const members = await joinWithDigest(senders.person(`after-swapped-${style}`), style);
      expect(members).not.toContain(handle(mallory));
    });

    it(`accepts the same Follow once its ${style} signature covers the digest`, async () => {
      const victor = senders.person(`covered-${style}`);
      expect(await joinWithDigest(victor, style)).toContain(handle(victor));
    });
  }
});
