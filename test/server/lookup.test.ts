import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../db/embedded.ts";
import type { Person } from "../support/client.ts";
import { type Peer, startPeer } from "../support/peer.ts";
import { killLaunched } from "../support/process.ts";
import { contexts, type RawPeer, startRawPeer } from "../support/raw-peer.ts";

/** A server that names one person over WebFinger and remembers every request it was sent. */
async function countingServer(address: string) {
  const port = await freePort(address);
  const host = `${address}:${port}`;
  const id = `http://${host}/users/watched`;
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(request.url ?? "");
    const path = new URL(request.url ?? "/", `http://${host}`).pathname;
    const answer = (type: string, body: unknown) =>
      response.writeHead(200, { "content-type": type }).end(JSON.stringify(body));
    if (path === "/.well-known/webfinger") {
      return answer("application/jrd+json", {
        subject: `acct:watched@${host}`,
        links: [{ rel: "self", type: "application/activity+json", href: id }],
      });
    }
    if (path === "/users/watched") {
      return answer("application/activity+json", {
        "@context": contexts,
        id,
        type: "Person",
        preferredUsername: "watched",
        inbox: `${id}/inbox`,
      });
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((done) => server.listen(port, address, done));
  return { host, requests, close: () => new Promise<void>((done) => server.close(() => done())) };
}

describe("GET /api/v1/lookup", () => {
  let hub: Peer;
  let partner: Peer;
  let garbage: RawPeer;
  let watched: Awaited<ReturnType<typeof countingServer>>;
  let hubAdmin: Person;
  let reader: Person;

  const lookup = (peer: Peer, handle: string, token?: string) =>
    peer.request("GET", `/api/v1/lookup?handle=${encodeURIComponent(handle)}`, { token });

  beforeAll(async () => {
    [hub, partner, garbage, watched] = await Promise.all([
      startPeer("127.0.0.80"),
      startPeer("127.0.0.81"),
      startRawPeer("127.0.0.82"),
      countingServer("127.0.0.83"),
    ]);
    hubAdmin = await hub.signUp("hubadmin");
    reader = await hub.signUp("reader", { displayName: "Reader" });
    const partnerAdmin = await partner.signUp("amina_k", { displayName: "Amina K." });
    for (const [slug, hidden] of [
      ["gender-sp", false],
      ["backroom", true],
    ] as const) {
      const created = await partner.request("POST", "/api/v1/communities", {
        token: partnerAdmin.token,
        body: {
          slug,
          name: `Community ${slug}`,
          summary: "On the partner",
          privacy: "open",
          hidden,
        },
      });
      expect(created.status).toBe(201);
    }
    await hub.request("POST", "/api/v1/communities", {
      token: hubAdmin.token,
      body: { slug: "hub-hidden", name: "Hub hidden", privacy: "open", hidden: true },
    });
    // A server whose WebFinger points at a document that is not an actor at all.
    garbage.serve(
      "/.well-known/webfinger",
      {
        subject: `acct:broken@${garbage.host}`,
        links: [
          { rel: "self", type: "application/activity+json", href: `${garbage.origin}/broken` },
        ],
      },
      "application/jrd+json",
    );
    garbage.serve("/broken", "{ this is not json");
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([hub?.stop(), partner?.stop(), garbage?.close(), watched?.close()]);
    await killLaunched();
  });

  it("resolves a community on another server into the API's community shape", async () => {
    const answer = await lookup(hub, `@gender-sp@${partner.host}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      kind: "community",
      community: {
        ref: `gender-sp@${partner.host}`,
        handle: `@gender-sp@${partner.host}`,
        uri: `${partner.origin}/actors/gender-sp`,
        name: "Community gender-sp",
        summary: "On the partner",
        privacy: "open",
        hidden: false,
        viewer: null,
      },
    });
    // The same record the communities API now answers for that ref.
    const read = await hub.request("GET", `/api/v1/communities/gender-sp@${partner.host}`);
    expect(read.body.id).toBe(answer.body.community.id);
  });

  it("resolves a person on another server, with or without the leading @", async () => {
    const bare = await lookup(hub, `amina_k@${partner.host}`);
    expect(bare.status).toBe(200);
    expect(bare.body).toEqual({
      kind: "account",
      account: expect.objectContaining({
        username: "amina_k",
        handle: `@amina_k@${partner.host}`,
        displayName: "Amina K.",
      }),
    });
    const prefixed = await lookup(hub, `@AMINA_K@${partner.host}`);
    expect(prefixed.body.account.id).toBe(bare.body.account.id);
  });

  it("answers a handle of this server with the local record", async () => {
    const person = await lookup(hub, `@reader@${hub.host}`);
    expect(person.status).toBe(200);
    expect(person.body).toEqual({
      kind: "account",
      account: expect.objectContaining({
        id: reader.id,
        handle: `@reader@${hub.host}`,
        displayName: "Reader",
      }),
    });
    const own = await lookup(hub, `hub-hidden@${hub.host}`, hubAdmin.token);
    expect(own.body).toMatchObject({
      kind: "community",
      community: { ref: "hub-hidden", viewer: { state: "active", role: "owner" } },
    });
  });

  it("reveals a hidden community to no one outside it, here or elsewhere", async () => {
    const unknown = await lookup(hub, `@nobody-here@${hub.host}`, reader.token);
    for (const handle of [`@hub-hidden@${hub.host}`, `@backroom@${partner.host}`]) {
      const answer = await lookup(hub, handle, reader.token);
      expect(answer.status).toBe(404);
      expect(answer.body.error.code).toBe(unknown.body.error.code);
    }
  });

  it("refuses what is not a handle with 400 and a message", async () => {
    for (const handle of ["", "amina", "@amina", "amina@", "a b@host", "@a@b@c", "x@host/path"]) {
      const answer = await lookup(hub, handle);
      expect(answer.status, handle).toBe(400);
      expect(answer.body.error.code).toBe("invalid_input");
      expect(answer.body.error.message).toContain("handle");
    }
    const missing = await hub.request("GET", "/api/v1/lookup");
    expect(missing.status).toBe(400);
  });

  it("answers 404 with a message for a name no server knows, a server that is down or one answering garbage", async () => {
    const downPort = await freePort("127.0.0.84");
    for (const handle of [
      `@nobody@${partner.host}`,
      `@somebody@127.0.0.84:${downPort}`,
      `@broken@${garbage.host}`,
    ]) {
      const answer = await lookup(hub, handle, reader.token);
      expect(answer.status, handle).toBe(404);
      expect(answer.body.error.message).toBeTruthy();
    }
  });

  it("asks nothing of a server the administrator blocked", async () => {
    const block = await hub.request("POST", "/api/v1/admin/domain-blocks", {
      token: hubAdmin.token,
      body: { domain: watched.host, reason: "spam" },
    });
    expect(block.status).toBe(201);
    const refused = await lookup(hub, `@watched@${watched.host}`, reader.token);
    expect(refused.status).toBe(404);
    expect(watched.requests).toEqual([]);
    // The same person is found from a server that does not block it.
    expect((await lookup(partner, `@watched@${watched.host}`)).body).toMatchObject({
      kind: "account",
      account: { handle: `@watched@${watched.host}` },
    });
  });

  it("is described in the OpenAPI document", async () => {
    const document = await hub.request("GET", "/api/v1/openapi.json");
    expect(document.body.paths["/lookup"].get.parameters).toContainEqual(
      expect.objectContaining({ name: "handle", in: "query", required: true }),
    );
  });
});
