import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config.ts";
import { createDeps } from "../../server/deps.ts";
import { forgetPastDays } from "../../server/services/analytics/counting.ts";
import { type Person, type Requester, requester, signUpWith } from "../support/client.ts";
import { freshDatabase } from "../support/database.ts";
import { clientAt } from "../support/from-address.ts";
import { generousLimits } from "../support/limits.ts";
import { killLaunched, startPraxisAt } from "../support/process.ts";

const browser =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const otherBrowser = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const googlebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
const pdf = new TextEncoder().encode("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n");

/**
 * First-party analytics (issue 16): views, downloads, joins and leaves counted on the server
 * without keeping who; breakdowns that never point at a person; for admins only; CSV that a
 * spreadsheet opens in each language.
 */
describe("analytics", () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let origin: string;
  const clients: ReturnType<typeof clientAt>[] = [];
  /** Requests from a loopback address of its own, as a reader elsewhere on the network. */
  const from = (address: string): Requester => {
    const client = clientAt(address);
    clients.push(client);
    return requester(origin, client.send);
  };
  let request: Requester;
  let root: Person;
  let facilitator: Person;
  let member: Person;
  let threadId: string;
  let fileId: string;
  const people: Person[] = [];

  const figures = async (path = "/api/v1/communities/commons/analytics") => {
    const answer = await request("GET", path, { token: facilitator.token });
    expect(answer.status).toBe(200);
    return answer.body;
  };
  const as = (userAgent: string, token?: string) => ({
    headers: { "user-agent": userAgent },
    ...(token ? { token } : {}),
  });

  beforeAll(async () => {
    database = await freshDatabase();
    ({ origin } = await startPraxisAt("127.0.12.1", {
      DATABASE_URL: database.url,
      DATA_DIR: await mkdtemp(join(tmpdir(), "praxis-analytics-")),
      LOG_LEVEL: "error",
      ...generousLimits,
    }));
    request = from("127.0.12.1");
    root = await signUpWith(request, "hubadmin");
    facilitator = await signUpWith(request, "facilitator", { country: "Kenya" });
    const made = await request("POST", "/api/v1/communities", {
      token: facilitator.token,
      body: { slug: "commons", name: "Cash transfer commons", summary: "", privacy: "open" },
    });
    expect(made.status).toBe(201);
    member = await signUpWith(request, "member", { country: "Senegal", profession: "Nurse" });
    // Four more in Kenya, one of whom shows details to admins only: five with the facilitator.
    const joiners: [string, Record<string, string>][] = [
      ["amina", { country: "Kenya", profession: "Nurse" }],
      ["baraka", { country: "kenya ", profession: "Nurse" }],
      ["chege", { country: "Kenya", profession: "Nurse", profileAudience: "admins" }],
      ["dalia", { country: "Kenya", profession: "Nurse" }],
      ["eitan", { country: "Brazil", profession: "Economist" }],
    ];
    for (const [name, details] of joiners) people.push(await signUpWith(request, name, details));
    for (const person of [member, ...people]) {
      const joined = await request("POST", "/api/v1/communities/commons/join", {
        token: person.token,
      });
      expect(joined.body.state).toBe("active");
    }
    const left = await request("POST", "/api/v1/communities/commons/leave", {
      token: people[4]?.token,
    });
    expect(left.status).toBeLessThan(300);
    const thread = await request("POST", "/api/v1/communities/commons/discussions", {
      token: facilitator.token,
      body: { title: "Targeting in Malawi", content: "What did the evaluation find?" },
    });
    threadId = thread.body.id;
    const form = new FormData();
    form.set("file", new Blob([pdf]), "Field guide.pdf");
    form.set("title", "Field guide");
    const file = await request("POST", "/api/v1/communities/commons/files", {
      token: facilitator.token,
      body: form,
    });
    expect(file.status).toBe(201);
    fileId = file.body.id;
  }, 120_000);

  afterAll(async () => {
    for (const client of clients) await client.close();
    await killLaunched();
    await database?.close();
  });

  it("counts each reader once a day, on the server-rendered page and through the API alike", async () => {
    const reader = from("127.0.12.2");
    const neighbour = from("127.0.12.3");
    const travelling = from("127.0.12.4");
    // One reader comes back: the page twice, then the app asks the API.
    expect((await reader("GET", "/c/commons", as(browser))).status).toBe(200);
    await reader("GET", "/c/commons", as(browser));
    await reader("GET", "/api/v1/communities/commons/profile", as(browser));
    // Another browser at the same address is another reader; so is another address.
    await reader("GET", "/c/commons", as(otherBrowser));
    await neighbour("GET", "/c/commons", as(browser));
    // A member is one reader wherever they sign in from.
    await reader("GET", "/api/v1/communities/commons/profile", as(browser, member.token));
    await travelling("GET", "/api/v1/communities/commons/profile", as(otherBrowser, member.token));
    await reader("GET", `/posts/${threadId}`, as(browser));
    await reader("GET", `/api/v1/posts/${threadId}`, as(browser));
    for (let time = 0; time < 2; time += 1) {
      const download = await neighbour("GET", `/api/v1/files/${fileId}/download`, as(browser));
      expect(download.status).toBe(200);
    }
    const analytics = await figures();
    expect(analytics.totals.views).toBe(4 + 1);
    expect(analytics.totals.downloads).toBe(1);
    expect(analytics.items).toEqual([
      expect.objectContaining({ title: "Field guide", kind: "file", views: 0, downloads: 1 }),
      expect.objectContaining({ title: "Targeting in Malawi", views: 1, downloads: 0 }),
    ]);
  });

  it("does not count crawlers, scripts without a browser, or prefetches", async () => {
    const before = (await figures()).totals;
    const crawler = from("127.0.12.5");
    await crawler("GET", "/c/commons", as(googlebot));
    await crawler("GET", `/api/v1/posts/${threadId}`, as(googlebot));
    await crawler("GET", `/api/v1/files/${fileId}/download`, as("curl/8.5.0"));
    await crawler("GET", "/c/commons", {
      headers: { "user-agent": browser, "sec-purpose": "prefetch" },
    });
    const after = (await figures()).totals;
    expect({ views: after.views, downloads: after.downloads }).toEqual({
      views: before.views,
      downloads: before.downloads,
    });
  });

  it("keeps no address, browser or account of whoever viewed, and forgets the day's marks after it", async () => {
    const stored = JSON.stringify({
      views: await database.sql`select * from analytics_daily_views`,
      marks:
        await database.sql`select day, encode(mark, 'escape') as mark from analytics_view_marks`,
      salts:
        await database.sql`select day, encode(salt, 'escape') as salt from analytics_day_salts`,
    });
    expect(JSON.parse(stored).marks.length).toBeGreaterThan(0);
    expect(stored).not.toMatch(/127\.0\.12\./);
    expect(stored).not.toMatch(/Chrome|Firefox|Mozilla/);
    for (const person of [member, ...people]) expect(stored).not.toContain(person.id);
    const columns =
      await database.sql`select table_name, column_name from information_schema.columns
      where table_name like 'analytics_%' and column_name ~ '(ip|address|agent|account)'`;
    // Only a member's last read within 30 days names someone, and only a member.
    expect(columns.map((row) => `${row.table_name}.${row.column_name}`)).toEqual([
      "analytics_member_reads.account_id",
    ]);
    const config = loadConfig({ DATA_DIR: await mkdtemp(join(tmpdir(), "praxis-forget-")) });
    const tomorrow = new Date(Date.now() + 24 * 60 * 60 * 1000);
    await forgetPastDays(createDeps(config, database.db), tomorrow);
    const [left] = await database.sql`select
      (select count(*) from analytics_view_marks)::int as marks,
      (select count(*) from analytics_day_salts)::int as salts,
      (select count(*) from analytics_daily_views)::int as views`;
    expect(left).toEqual({ marks: 0, salts: 0, views: expect.any(Number) });
    expect(left?.views).toBeGreaterThan(0);
  });

  it("counts joins, leaves, active members and content", async () => {
    const analytics = await figures();
    const thisWeek = analytics.weekly.at(-1);
    expect(thisWeek).toMatchObject({ joined: 7, left: 1 });
    // The facilitator posted; the member read; the others only joined.
    expect(analytics.totals).toMatchObject({ members: 6, activeMembers: 2, posts: 2 });
    expect(analytics.monthly.at(-1)).toMatchObject({ posts: 2, comments: 0 });
  });

  it("shows a country or profession only for five people or more, whatever each one's audience", async () => {
    const { countries, professions } = await figures();
    expect(countries.groups).toEqual([{ group: "Kenya", members: 5, activeMembers: 1 }]);
    expect(countries.other).toEqual({ members: 1, activeMembers: 1 });
    // Four nurses and the member: five; the facilitator gave no profession and is folded.
    expect(professions.groups).toEqual([{ group: "Nurse", members: 5, activeMembers: 1 }]);
    expect(professions.other).toEqual({ members: 1, activeMembers: 1 });
    const body = JSON.stringify(await figures());
    for (const name of ["amina", "chege", "Senegal", "Brazil"]) expect(body).not.toContain(name);
  });

  it("is for the community's admins and the instance administrator only", async () => {
    const path = "/api/v1/communities/commons/analytics";
    expect((await request("GET", path)).status).toBe(401);
    expect((await request("GET", path, { token: member.token })).status).toBe(403);
    expect((await request("GET", `${path}.csv?table=weekly`, { token: member.token })).status).toBe(
      403,
    );
    expect((await request("GET", path, { token: root.token })).status).toBe(200);
    expect(
      (await request("GET", "/api/v1/admin/analytics", { token: facilitator.token })).status,
    ).toBe(403);
    const instance = await request("GET", "/api/v1/admin/analytics", { token: root.token });
    expect(instance.status).toBe(200);
    expect(instance.body.communities).toEqual([
      expect.objectContaining({ ref: "commons", members: 6, downloads: 1 }),
    ]);
  });

  it("refuses a period that ends before it starts or lasts over five years", async () => {
    const path = "/api/v1/communities/commons/analytics";
    for (const range of ["from=2026-05-02&to=2026-05-01", "from=2019-01-01&to=2026-01-01"]) {
      const answer = await request("GET", `${path}?${range}`, { token: facilitator.token });
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe("invalid_date_range");
    }
    const unknown = await request("GET", `${path}.csv?table=secrets`, { token: facilitator.token });
    expect(unknown.status).toBe(400);
  });

  it("downloads every table as UTF-8 CSV with a byte order mark and headers in the reader's language", async () => {
    const csvIn = async (language: string, table: string, path = "/api/v1/communities/commons") => {
      const client = clientAt("127.0.12.1");
      clients.push(client);
      const response = await client.send(
        new Request(`${origin}${path}/analytics.csv?table=${table}`, {
          // The language chosen with the switcher, which wins over the account's own.
          headers: { authorization: `Bearer ${facilitator.token}`, cookie: `lang=${language}` },
        }),
      );
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      const bytes = new Uint8Array(await response.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      return new TextDecoder("utf-8", { ignoreBOM: true })
        .decode(bytes)
        .slice(1)
        .split("\r\n")
        .filter(Boolean);
    };
    expect(await csvIn("fr", "countries")).toEqual([
      "Pays;Membres;Membres actifs",
      "Kenya;5;1",
      "Autres (groupes de moins de 5);1;1",
    ]);
    expect((await csvIn("ar", "countries"))[0]).toBe("البلد;الأعضاء;الأعضاء النشطون");
    expect((await csvIn("en", "countries"))[0]).toBe("Country,Members,Active members");
    const weekly = await csvIn("es", "weekly");
    expect(weekly[0]).toBe("Semana;Visitas;Descargas;Altas;Bajas");
    expect(weekly.at(-1)).toMatch(/^\d{4}-\d{2}-\d{2};5;1;7;1$/);
  });
});
