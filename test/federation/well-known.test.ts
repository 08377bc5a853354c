import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Peer, startPeer } from "../support/peer.ts";
import { killLaunched } from "../support/process.ts";

const jsonTypes = /^application\/(jrd\+)?json/;

describe("well-known discovery documents", () => {
  let praxis: Peer;

  function webfinger(query: string) {
    return praxis.request("GET", `/.well-known/webfinger${query}`);
  }

  function lookUp(name: string) {
    return webfinger(`?resource=${encodeURIComponent(`acct:${name}@${praxis.host}`)}`);
  }

  beforeAll(async () => {
    praxis = await startPeer("127.0.0.72");
    const owner = await praxis.signUp("wk_owner");
    const created = await praxis.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug: "wk-hidden", name: "Hidden", privacy: "private", hidden: true },
    });
    expect(created.status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await praxis?.stop();
    await killLaunched();
  });

  it("still resolves a known account to its actor", async () => {
    const found = await lookUp("wk_owner");
    expect(found.status).toBe(200);
    expect(found.headers.get("content-type")).toMatch(jsonTypes);
    expect(found.body.subject).toBe(`acct:wk_owner@${praxis.host}`);
    expect(found.body.links).toContainEqual(
      expect.objectContaining({ rel: "self", href: `${praxis.origin}/actors/wk_owner` }),
    );
  });

  it("answers a name nobody holds with a JSON 404, not the web page", async () => {
    const unknown = await lookUp("nobody");
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toMatch(jsonTypes);
    expect(unknown.body.error).toBeTruthy();
  });

  it("answers a hidden community exactly as a name nobody holds", async () => {
    const hidden = await lookUp("wk-hidden");
    const unknown = await lookUp("nobody");
    expect(hidden.status).toBe(404);
    expect(hidden.headers.get("content-type")).toBe(unknown.headers.get("content-type"));
    expect(hidden.body).toEqual(unknown.body);
  });

  it("answers a missing or malformed resource with a JSON 400", async () => {
    for (const query of ["", "?resource=", "?resource=not%20a%20uri"]) {
      const refused = await webfinger(query);
      expect(refused.status, query).toBe(400);
      expect(refused.headers.get("content-type"), query).toMatch(jsonTypes);
      expect(refused.body.error, query).toBeTruthy();
    }
  });

  it("points host-meta's lrdd template at this origin's WebFinger, in XRD and in JRD", async () => {
    const template = `${praxis.origin}/.well-known/webfinger?resource={uri}`;
    const xrd = await praxis.request("GET", "/.well-known/host-meta");
    expect(xrd.status).toBe(200);
    expect(xrd.headers.get("content-type")).toMatch(/^application\/xrd\+xml/);
    expect(xrd.body).toContain('<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">');
    expect(xrd.body).toContain(`<Link rel="lrdd" template="${template}"/>`);

    const jrd = await praxis.request("GET", "/.well-known/host-meta.json");
    expect(jrd.status).toBe(200);
    expect(jrd.headers.get("content-type")).toMatch(jsonTypes);
    expect(jrd.body).toEqual({ links: [{ rel: "lrdd", template }] });
  });
});
