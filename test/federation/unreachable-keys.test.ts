import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Peer, startPeer } from "../support/peer.ts";
import { killLaunched } from "../support/process.ts";
import { contexts, type RawPeer, signedRequest, startRawPeer } from "../support/raw-peer.ts";

/**
 * A signature whose key cannot be had (the key's server answers 404, or 401 to an unsigned
 * fetch, as GoToSocial does) is a refusal, never a server error.
 */
describe("signatures between servers", () => {
  let praxis: Peer;
  let sender: RawPeer;

  beforeAll(async () => {
    [praxis, sender] = await Promise.all([startPeer("127.0.0.64"), startRawPeer("127.0.0.65")]);
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled([praxis?.stop(), sender?.close()]);
    await killLaunched();
  });

  it("answers a delivery signed with a key its server does not hand out with 401, not 500", async () => {
    const gina = sender.person("gina");
    const ghost = { ...gina, keyId: `${sender.origin}/users/nobody#main-key` };
    const follow = {
      "@context": contexts,
      id: `${gina.id}/follows/1`,
      type: "Follow",
      actor: gina.id,
      object: `${praxis.origin}/actors/nobody`,
    };
    const answer = await fetch(signedRequest("POST", `${praxis.origin}/inbox`, ghost, follow));
    expect(answer.status).toBe(401);
  });

  it("answers WebFinger for the server's own actor, which signs its fetches", async () => {
    const host = new URL(praxis.origin).hostname;
    const url = new URL("/.well-known/webfinger", praxis.origin);
    url.searchParams.set("resource", `acct:${host}@${praxis.host}`);
    const answer = await fetch(url);
    expect(answer.status).toBe(200);
    const { links } = (await answer.json()) as { links: { rel: string; href: string }[] };
    expect(links.find((link) => link.rel === "self")?.href).toBe(
      `${praxis.origin}/actors/instance`,
    );
  });
});
