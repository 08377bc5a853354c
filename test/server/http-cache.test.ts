import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, type Requester, requester, signUpWith } from "../support/client.ts";
import { freshDatabase } from "../support/database.ts";
import { generousLimits } from "../support/limits.ts";
import { killLaunched, startPraxisAt } from "../support/process.ts";

const publicFeed = "/api/v1/communities/open-commons/discussions";
const privateFeed = "/api/v1/communities/closed-circle/discussions";

/**
 * HTTP caching (issue 20): what a reader without credentials reads of a public community
 * may be kept by any cache and revalidated; whatever depends on who reads never may.
 */
describe("HTTP caching", () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let origin: string;
  let request: Requester;
  let owner: Person;
  let threadId: string;
  /** A plain GET over HTTP, as a browser or a cache in front of Praxis sends it. */
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(new URL(path, origin), { headers });

  beforeAll(async () => {
    database = await freshDatabase();
    ({ origin } = await startPraxisAt("127.0.33.60", {
      DATABASE_URL: database.url,
      DATA_DIR: await mkdtemp(join(tmpdir(), "praxis-http-cache-")),
      LOG_LEVEL: "error",
      ...generousLimits,
    }));
    request = requester(origin, (req) => fetch(req));
    owner = await signUpWith(request, "owner");
    for (const [slug, privacy] of [
      ["open-commons", "open"],
      ["closed-circle", "private"],
    ]) {
      const made = await request("POST", "/api/v1/communities", {
        token: owner.token,
        body: { slug, name: `Community ${slug}`, summary: "", privacy },
      });
      expect(made.status).toBe(201);
      const thread = await request("POST", `/api/v1/communities/${slug}/discussions`, {
        token: owner.token,
        body: { title: `First thread of ${slug}`, content: "Welcome." },
      });
      expect(thread.status).toBe(201);
      if (slug === "open-commons") threadId = thread.body.id;
    }
  }, 120_000);

  afterAll(async () => {
    await killLaunched();
    await database?.close();
  });

  it("lets any cache keep an anonymous public feed, and answers its revalidation with a 304", async () => {
    const first = await get(publicFeed);
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag") ?? "";
    expect(etag).toMatch(/^W\/".+"$/);
    expect(first.headers.get("cache-control")).toBe("public, max-age=0, must-revalidate");
    expect(first.headers.get("vary")).toMatch(/Cookie/);
    expect(first.headers.get("vary")).toMatch(/Authorization/);

    const again = await get(publicFeed, { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("etag")).toBe(etag);
    expect(again.headers.get("cache-control")).toBe("public, max-age=0, must-revalidate");
  });

  it("changes a public feed's ETag once someone posts to it", async () => {
    const before = (await get(publicFeed)).headers.get("etag") ?? "";
    expect(before).toMatch(/^W\//);
    const posted = await request("POST", "/api/v1/communities/open-commons/discussions", {
      token: owner.token,
      body: { title: "Minutes of the regional meeting", content: "Attached." },
    });
    expect(posted.status).toBe(201);

    const after = await get(publicFeed, { "if-none-match": before });
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).not.toBe(before);
    expect(await after.text()).toContain("Minutes of the regional meeting");
  });

  it("lets a cache keep a public thread and the page of a public community read anonymously", async () => {
    for (const path of [`/api/v1/posts/${threadId}`, "/c/open-commons"]) {
      const answer = await get(path);
      expect(answer.status, path).toBe(200);
      expect(answer.headers.get("cache-control"), path).toBe("public, max-age=0, must-revalidate");
      const revalidated = await get(path, { "if-none-match": answer.headers.get("etag") ?? "" });
      expect(revalidated.status, path).toBe(304);
    }
  });

  it("never lets a cache share a members-only answer", async () => {
    const asMember = await get(privateFeed, { authorization: `Bearer ${owner.token}` });
    expect(asMember.status).toBe(200);
    expect(await asMember.text()).toContain("First thread of closed-circle");
    expect(asMember.headers.get("cache-control")).toBe("private, no-store");
    expect(asMember.headers.get("etag")).toBeNull();
    expect(asMember.headers.get("vary")).toMatch(/Authorization/);

    const anonymous = await get(privateFeed);
    expect(anonymous.status).not.toBe(200);
    expect(anonymous.headers.get("cache-control") ?? "").not.toMatch(/public/);
  });

  it("never lets a cache share what a signed-in reader gets, even of a public feed", async () => {
    const { etag } = Object.fromEntries((await get(publicFeed)).headers);
    const credentials: Record<string, string>[] = [
      { authorization: `Bearer ${owner.token}` },
      { cookie: `praxis_session=${owner.token}` },
    ];
    for (const credential of credentials) {
      const answer = await get(publicFeed, { ...credential, "if-none-match": etag ?? "" });
      expect(answer.status).toBe(200);
      expect(answer.headers.get("cache-control")).toBe("private, no-store");
      expect(answer.headers.get("vary")).toMatch(/Cookie, Authorization/);
    }
    const page = await get("/c/open-commons", { cookie: `praxis_session=${owner.token}` });
    expect(page.headers.get("cache-control")).toBe("private, no-store");
  });

  it("leaves an ActivityPub fetch of a post to federation, never marked shareable", async () => {
    const answer = await get(`/posts/${threadId}`, { accept: "application/activity+json" });
    expect(answer.headers.get("content-type")).toMatch(/activity\+json|ld\+json/);
    expect(answer.headers.get("cache-control") ?? "").not.toMatch(/public/);
    expect(answer.headers.get("etag")).toBeNull();
  });
});
