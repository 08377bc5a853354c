import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Requester, requester, signUpWith } from "../support/client.ts";
import { freshDatabase } from "../support/database.ts";
import { generousLimits } from "../support/limits.ts";
import { killLaunched, startPraxisAt } from "../support/process.ts";

/**
 * The directory shows inactive communities last (issue 16), and its pages still hold every
 * entry once: the order is total (activity, then newest first, then id) and the cursor
 * carries it.
 */
describe("the directory's order", () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let request: Requester;
  /** Oldest first; `bravo` and `echo` had no new content for two years. */
  const slugs = ["alpha", "bravo", "charlie", "delta", "echo"];
  const inactive = ["bravo", "echo"];

  /** Every entry of `path`, read `limit` at a time by following `next`. */
  async function everyPage(path: string, limit: number): Promise<string[][]> {
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const query: string = new URLSearchParams({
        limit: String(limit),
        ...(cursor ? { cursor } : {}),
      }).toString();
      const answer = await request("GET", `${path}?${query}`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      pages.push((answer.body.items as { ref: string }[]).map((item) => item.ref));
      cursor = answer.body.next;
    } while (cursor && pages.length < 10);
    return pages;
  }

  beforeAll(async () => {
    database = await freshDatabase();
    const { origin } = await startPraxisAt("127.0.30.1", {
      DATABASE_URL: database.url,
      DATA_DIR: await mkdtemp(join(tmpdir(), "praxis-directory-order-")),
      LOG_LEVEL: "error",
      ...generousLimits,
    });
    request = requester(origin, (req) => fetch(req));
    const owner = await signUpWith(request, "owner");
    for (const slug of slugs) {
      const made = await request("POST", "/api/v1/communities", {
        token: owner.token,
        body: { slug, name: `Community ${slug}`, summary: "", privacy: "open" },
      });
      expect(made.status).toBe(201);
    }
    // One minute apart, so that newest first means echo, delta, charlie, bravo, alpha.
    await database.db.execute(`update communities set created_at = timestamptz '2026-01-01'
      + (ascii(slug) - ascii('a')) * interval '1 minute'`);
    await database.db.execute(`update communities set last_activity_at = now() - interval '2 years'
      where slug in (${inactive.map((slug) => `'${slug}'`).join(", ")})`);
  }, 120_000);

  afterAll(async () => {
    await killLaunched();
    await database?.close();
  });

  it("lists inactive communities after active ones, newest first within each", async () => {
    const [all] = await everyPage("/api/v1/communities", 100);
    expect(all).toEqual(["delta", "charlie", "alpha", "echo", "bravo"]);
  });

  for (const path of ["/api/v1/communities", "/api/v1/directory"]) {
    it(`pages ${path} across the change to inactive without losing or repeating an entry`, async () => {
      // Two at a time: a page holds the last active one and the first inactive one.
      expect(await everyPage(path, 2)).toEqual([
        ["delta", "charlie"],
        ["alpha", "echo"],
        ["bravo"],
      ]);
      // Three at a time: the pages part exactly where the inactive ones begin.
      expect(await everyPage(path, 3)).toEqual([
        ["delta", "charlie", "alpha"],
        ["echo", "bravo"],
      ]);
    });
  }

  it("answers a cursor it never gave with a 400 that says the position is not valid", async () => {
    for (const cursor of ["zzz", "a-not-a-position"]) {
      const answer = await request("GET", `/api/v1/communities?cursor=${cursor}`);
      expect(answer.status, cursor).toBe(400);
      expect(answer.body.error.message, cursor).toContain("The position in the list is not valid");
    }
  });
});
