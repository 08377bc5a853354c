/**
 * Backfill: a person on a partner instance is admitted to a semi-private community of a hub
 * that already holds 10 (warm-up), 100 and 500 items of every kind (discussions,
 * announcements, pages, events, files, by five authors); the partner reads the hub's history,
 * 50 items a page, each page a queued step, and stores every item. Timed from the approval on
 * the hub to the last item stored on the partner; beside it, the floor of the same pages
 * fetched signed as that member without storing, and Fedify parsing them in this process.
 * Prints figures; asserts nothing. Run: npm run bench:backfill
 */
// Evaluated first, before anything loads Fedify, as in server/main.ts: see engine-builtins.ts.
import "../federation/engine-builtins.ts";
import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { signRequest } from "@fedify/fedify";
import { Announce, type Object as APObject, CollectionPage, Create } from "@fedify/vocab";
import type { DocumentLoader } from "@fedify/vocab-runtime";
import { Agent, setGlobalDispatcher } from "undici";
import { localContextLoader } from "../federation/context-loader.ts";
import { restoreEngineBuiltins } from "../federation/engine-builtins.ts";
import { readHistoryLink } from "../federation/praxis-terms.ts";
import { readMailbox } from "../test/support/client.ts";
import { type BenchDatabase, startBenchDatabase } from "./support/database.ts";
import { cpuSeconds, ms, percentile, perSecond, ratio, report } from "./support/figures.ts";
import { postgresCpuSeconds } from "./support/postgres-cpu.ts";
import { type BenchPraxis, startBenchPraxis } from "./support/praxis.ts";

restoreEngineBuiltins();
// Node's servers close a connection idle for 5 s; a request sent on it just then fails with
// "other side closed" (it did, after the floor's few seconds away from the partner).
setGlobalDispatcher(new Agent({ keepAliveTimeout: 1_000, keepAliveMaxTimeout: 1_000 }));

const historyPageLength = 50;
const kinds = ["discussion", "announcement", "page", "event", "file"] as const;
type Kind = (typeof kinds)[number];
/** Where the API lists each kind, and publishes the text kinds. */
const listOf: Record<Kind, string> = {
  discussion: "discussions",
  announcement: "announcements",
  page: "pages",
  event: "events",
  file: "files",
};
/** A backfill that stores nothing new for this long has stopped. */
const stalledAfterMs = 60_000;

const hubDatabase = await startBenchDatabase();
const partnerDatabase = await startBenchDatabase();
const hub = await startBenchPraxis(hubDatabase, "127.0.0.50");
// The partner logs at info: each history page read, each item skipped or refused.
const partner = await startBenchPraxis(partnerDatabase, "127.0.0.51", { LOG_LEVEL: "info" });
const hubHost = new URL(hub.origin).host;

const paragraph =
  "In our district the cash transfer reached households within nine days of the flood, " +
  "because the social registry already held their mobile money numbers. ";
const markdown = `${paragraph.repeat(3)}\n\n- what worked: **the registry**\n- what did not: the hotline\n\n${paragraph}`;

async function queued(database: BenchDatabase): Promise<number> {
  const [row] = await database.sql<{ count: number }[]>`
    select count(*)::int as count from queued_messages`;
  return row?.count ?? 0;
}

async function drained(database: BenchDatabase): Promise<void> {
  while ((await queued(database)) > 0) await sleep(50);
}

/**
 * A semi-private community on the hub with `items` posts: one of each kind published through
 * the API, the rest SQL copies of those five (titles, authors and dates varied, details
 * copied), so that federation sees them exactly as it sees posts made through the API.
 */
async function seedCommunity(slug: string, items: number, token: string, authorIds: string[]) {
  const created = await hub.request("POST", "/api/v1/communities", {
    token,
    body: {
      slug,
      name: `Community ${slug}`,
      summary: "Practitioners of social protection",
      privacy: "semi_private",
      eligibility: "Work in social protection",
    },
  });
  if (created.status !== 201) throw new Error(`community refused: ${JSON.stringify(created.body)}`);
  const communityId: string = created.body.id;
  const { sql } = hubDatabase;
  await sql`
    insert into memberships (community_id, account_id, role, state)
    select ${communityId}, id, 'member', 'active' from accounts
    where id = any(${sql.array(authorIds)}::uuid[])
    on conflict do nothing`;
  const published = [
    ...["discussions", "announcements", "pages"].map((list) =>
      hub.request("POST", `/api/v1/communities/${slug}/${list}`, {
        token,
        body: { title: `First of the ${list}`, content: markdown },
      }),
    ),
    hub.request("POST", `/api/v1/communities/${slug}/events`, {
      token,
      body: {
        title: "Quarterly clinic",
        content: markdown,
        timezone: "Africa/Dakar",
        startsAt: "2030-03-10T14:00",
        endsAt: "2030-03-10T16:00",
        location: "Dakar",
      },
    }),
    (() => {
      const form = new FormData();
      form.set("file", new Blob([markdown], { type: "text/plain" }), "registry-notes.txt");
      form.set("title", "Registry notes");
      form.set("description", paragraph);
      form.set("private", "true");
      return hub.request("POST", `/api/v1/communities/${slug}/files`, { token, body: form });
    })(),
  ];
  for (const answer of await Promise.all(published)) {
    if (answer.status !== 201) throw new Error(`post refused: ${JSON.stringify(answer.body)}`);
  }
  const templates = await sql<{ id: string; kind: Kind }[]>`
    select id, kind from posts where community_id = ${communityId}`;
  const copies = items - templates.length;
  for (const [index, template] of templates.entries()) {
    const count = Math.ceil((copies - index) / templates.length);
    if (count <= 0) continue;
    // Copies go back in time from a day ago, a few hours apart, interleaving the kinds.
    const made = await sql<{ id: string; n: number }[]>`
      insert into posts (community_id, author_id, kind, title, source, content, language,
                         created_at, updated_at)
      select p.community_id, (${sql.array(authorIds)}::uuid[])[1 + (n + ${index}) % ${authorIds.length}],
             p.kind, p.title || ' (' || n || ')', p.source, p.content, p.language,
             now() - interval '1 day' - (n * ${templates.length} + ${index}) * interval '3 hours',
             now() - interval '1 day' - (n * ${templates.length} + ${index}) * interval '3 hours'
      from posts p, generate_series(1, ${count}) as n
      where p.id = ${template.id}
      returning id, (regexp_match(title, '\\((\\d+)\\)$'))[1]::int as n`;
    const ids = made.map((row) => row.id);
    if (template.kind === "event") {
      await sql`
        insert into event_details (post_id, starts_at, ends_at, timezone, location)
        select m.id, d.starts_at + m.n * interval '1 week', d.ends_at + m.n * interval '1 week',
               d.timezone, d.location
        from event_details d,
             unnest(${sql.array(ids)}::uuid[], ${sql.array(made.map((row) => row.n))}::int[])
               as m(id, n)
        where d.post_id = ${template.id}`;
    }
    if (template.kind === "file") {
      // Every other file is for members only; all of them share the template's bytes.
      await sql`
        insert into file_details (post_id, category, private, filename, media_type, size,
                                  storage_key)
        select m.id, d.category, m.n % 2 = 0, d.filename, d.media_type, d.size, d.storage_key
        from file_details d,
             unnest(${sql.array(ids)}::uuid[], ${sql.array(made.map((row) => row.n))}::int[])
               as m(id, n)
        where d.post_id = ${template.id}`;
    }
  }
  await sql`analyze posts`;
  const [total] = await sql<{ count: number }[]>`
    select count(*)::int as count from posts where community_id = ${communityId}`;
  if (total?.count !== items) throw new Error(`seeded ${total?.count} posts, not ${items}`);
}

/** The partner's copy of the hub's community `slug`, and how many posts of each kind it holds. */
async function copyOnPartner(slug: string) {
  const { sql } = partnerDatabase;
  const [copy] = await sql<{ id: string }[]>`
    select id from communities where uri = ${`${hub.origin}/actors/${slug}`}`;
  return copy?.id;
}

async function storedByKind(communityId: string): Promise<Map<Kind, number>> {
  const rows = await partnerDatabase.sql<{ kind: Kind; count: number }[]>`
    select kind, count(*)::int as count from posts where community_id = ${communityId}
    group by kind`;
  return new Map(rows.map((row) => [row.kind, row.count]));
}

const sum = (counts: Map<Kind, number>) => [...counts.values()].reduce((a, b) => a + b, 0);

async function isAdmitted(communityId: string, username: string): Promise<boolean> {
  const [row] = await partnerDatabase.sql<{ state: string }[]>`
    select m.state from memberships m join accounts a on a.id = m.account_id
    where m.community_id = ${communityId} and a.username = ${username} and a.domain is null`;
  return row?.state === "active";
}

const processesOf = (praxis: BenchPraxis) => ({ web: praxis.web, worker: praxis.worker });

/** CPU time every process on this machine has used since boot (the first line of /proc/stat). */
async function machineCpuSeconds(): Promise<number> {
  const [line] = (await readFile("/proc/stat", "utf8")).split("\n");
  const ticks = (line ?? "").split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: all but idle and iowait were busy.
  const busy = [0, 1, 2, 5, 6, 7].reduce((total, field) => total + (ticks[field] ?? 0), 0);
  return busy / 100;
}

async function cpuOfAll() {
  const figures: Record<string, number> = {};
  for (const [instance, praxis, database] of [
    ["hub", hub, hubDatabase],
    ["partner", partner, partnerDatabase],
  ] as const) {
    for (const [role, child] of Object.entries(processesOf(praxis))) {
      figures[`${instance} ${role}`] = await cpuSeconds(child.child.pid ?? 0);
    }
    figures[`${instance} postgres`] = await postgresCpuSeconds(database);
  }
  const usage = process.cpuUsage();
  figures.benchmark = (usage.user + usage.system) / 1e6;
  figures.machine = await machineCpuSeconds();
  return figures;
}

interface Backfill {
  items: number;
  stored: Map<Kind, number>;
  admittedMs: number;
  firstItemMs: number;
  lastStoredMs: number;
  totalMs: number;
  /** When the stored count first reached 50, 100… (ms after the approval). */
  pageEnds: number[];
  cpu: Record<string, number>;
  /** Nothing more was stored for a minute before every item was. */
  stalled: boolean;
}

/** The partner person asks to join, the hub approves; timed until every item is stored there. */
async function backfill(
  slug: string,
  items: number,
  person: { username: string; token: string },
  adminToken: string,
): Promise<Backfill> {
  const ref = `${slug}@${hubHost}`;
  const joined = await partner.request("POST", `/api/v1/communities/${ref}/join`, {
    token: person.token,
    body: { message: "I run cash transfers in Thiès." },
  });
  if (joined.status !== 200) throw new Error(`join refused: ${JSON.stringify(joined.body)}`);
  const members = `/api/v1/communities/${slug}/members?state=pending`;
  let pending: { id: string }[] = [];
  for (let tries = 0; pending.length === 0; tries++) {
    if (tries > 400) throw new Error(`no join request reached the hub for ${slug}`);
    await sleep(50);
    pending = (await hub.request("GET", members, { token: adminToken })).body.items;
  }
  const copyId = await copyOnPartner(slug);
  if (!copyId) throw new Error(`the partner has no copy of ${slug}`);
  await Promise.all([drained(hubDatabase), drained(partnerDatabase)]);
  const before = await storedByKind(copyId);
  const cpuBefore = await cpuOfAll();

  const started = performance.now();
  const approved = await hub.request(
    "POST",
    `/api/v1/communities/${slug}/members/${pending[0]?.id}/approve`,
    { token: adminToken, body: {} },
  );
  if (approved.status !== 200) throw new Error(`approval refused: ${approved.status}`);
  let admittedMs = Number.NaN;
  let firstItemMs = Number.NaN;
  const pageEnds: number[] = [];
  let stored = before;
  let lastProgress = performance.now();
  let lastStoredMs = Number.NaN;
  while (sum(stored) - sum(before) < items && performance.now() - lastProgress < stalledAfterMs) {
    await sleep(20);
    const now = performance.now() - started;
    if (Number.isNaN(admittedMs) && (await isAdmitted(copyId, person.username))) admittedMs = now;
    const counts = await storedByKind(copyId);
    const kept = sum(counts) - sum(before);
    if (kept > sum(stored) - sum(before)) {
      lastProgress = performance.now();
      lastStoredMs = now;
    }
    if (kept > 0 && Number.isNaN(firstItemMs)) firstItemMs = now;
    while (kept >= (pageEnds.length + 1) * historyPageLength) pageEnds.push(now);
    stored = counts;
  }
  const totalMs = performance.now() - started;
  const cpuAfter = await cpuOfAll();
  const cpu = Object.fromEntries(
    Object.entries(cpuAfter).map(([name, seconds]) => [name, seconds - (cpuBefore[name] ?? 0)]),
  );
  // What the partner still had to do (the empty last page, a step in flight) ends here too.
  await drained(partnerDatabase);
  const stalled = sum(stored) - sum(before) < items;
  return { items, stored, admittedMs, firstItemMs, lastStoredMs, totalMs, pageEnds, cpu, stalled };
}

/** How many of each kind the partner's API lists to the new member, every page of it. */
async function listedOnPartner(slug: string, token: string): Promise<Map<Kind, number>> {
  const listed = new Map<Kind, number>();
  for (const kind of kinds) {
    let count = 0;
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ limit: "100" });
      if (kind === "event") query.set("from", "2000-01-01");
      if (cursor) query.set("cursor", cursor);
      const answer = await partner.request(
        "GET",
        `/api/v1/communities/${slug}@${hubHost}/${listOf[kind]}?${query}`,
        { token },
      );
      if (answer.status !== 200) break;
      count += answer.body.items.length;
      cursor = answer.body.next;
    } while (cursor);
    listed.set(kind, count);
  }
  return listed;
}

/** The member's signing key as the partner holds it, to fetch the history as the partner does. */
async function memberKey(username: string) {
  const [row] = await partnerDatabase.sql<{ private_key: JsonWebKey }[]>`
    select k.private_key from actor_keys k join accounts a on a.id = k.owner_id
    where a.username = ${username} and a.domain is null and k.algorithm = 'RSASSA-PKCS1-v1_5'`;
  if (!row) throw new Error(`${username} has no RSA key on the partner`);
  const privateKey = await crypto.subtle.importKey(
    "jwk",
    row.private_key,
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    // Fedify refuses to sign with a key it could not export, as the partner's own are.
    true,
    ["sign"],
  );
  const actor = await (
    await fetch(`${partner.origin}/actors/${username}`, {
      headers: { accept: "application/activity+json" },
    })
  ).json();
  const publicKey = Array.isArray(actor.publicKey) ? actor.publicKey[0] : actor.publicKey;
  return { privateKey, keyId: new URL(publicKey.id) };
}

type Key = Awaited<ReturnType<typeof memberKey>>;

/** A GET signed the draft-cavage way the partner signs (federation/loaders.ts). */
async function signedGet(url: string, key: Key): Promise<Record<string, unknown>> {
  const request = await signRequest(
    new Request(url, { headers: { accept: "application/activity+json" } }),
    key.privateKey,
    key.keyId,
    { spec: "draft-cavage-http-signatures-12" },
  );
  const response = await fetch(request);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return response.json();
}

const idOf = (value: unknown): string | null =>
  typeof value === "string"
    ? value
    : typeof value === "object" && value && "id" in value && typeof value.id === "string"
      ? value.id
      : null;

/**
 * The floor: the requests the partner makes for the history (the Group, the collection, then
 * its pages one after another), signed as the member, nothing parsed or stored.
 */
async function fetchPages(slug: string, key: Key) {
  const started = performance.now();
  const groupId = new URL(`${hub.origin}/actors/${slug}`);
  const group = await signedGet(groupId.href, key);
  const history = readHistoryLink(group, groupId);
  if (!history) throw new Error(`${slug} names no history`);
  const collection = await signedGet(history.href, key);
  const pages: Record<string, unknown>[] = [];
  const pageTimes: number[] = [];
  let next = idOf(collection.first);
  while (next) {
    const pageStarted = performance.now();
    const page = await signedGet(next, key);
    pageTimes.push(performance.now() - pageStarted);
    pages.push(page);
    next = idOf(page.next);
  }
  return { totalMs: performance.now() - started, pages, pageTimes };
}

/**
 * Fedify reading those pages in this process: each Announce, its Create and its object; then
 * as well each object's author, from documents already at hand, as the partner's
 * `getAttribution` reads it from its cache for every item.
 */
async function parsePages(pages: Record<string, unknown>[], authors: Map<string, unknown>) {
  const contextLoader = localContextLoader();
  const documentLoader: DocumentLoader = async (url) => {
    const document = authors.get(url);
    if (!document) throw new Error(`${url} is neither embedded nor an author`);
    return { contextUrl: null, documentUrl: url, document };
  };
  const options = { documentLoader, contextLoader };
  const started = performance.now();
  const objects: APObject[] = [];
  for (const json of pages) {
    const page = await CollectionPage.fromJsonLd(json, options);
    for await (const item of page.getItems(options)) {
      if (!(item instanceof Announce)) continue;
      const create = await item.getObject(options);
      const object = create instanceof Create ? await create.getObject(options) : null;
      if (object) objects.push(object);
    }
  }
  const parsedMs = performance.now() - started;
  for (const object of objects) await object.getAttribution(options);
  return { parsedMs, authorsMs: performance.now() - started - parsedMs, objects: objects.length };
}

/** The authors' actor documents, fetched once: what the partner holds in its cache. */
async function authorDocuments(pages: Record<string, unknown>[]) {
  const ids = new Set<string>();
  for (const page of pages) {
    for (const item of (page.orderedItems ?? page.items ?? []) as Record<string, unknown>[]) {
      const object = (item.object as Record<string, unknown> | undefined)?.object;
      const author = idOf((object as Record<string, unknown> | undefined)?.attributedTo);
      if (author) ids.add(author);
    }
  }
  const documents = new Map<string, unknown>();
  for (const id of ids) {
    const response = await fetch(id, { headers: { accept: "application/activity+json" } });
    documents.set(id, await response.json());
  }
  return documents;
}

/** The fastest of `runs` walks through the pages (the first one warms the hub's caches). */
async function floorOf(slug: string, key: Key, runs = 3) {
  let best: Awaited<ReturnType<typeof fetchPages>> | null = null;
  for (let run = 0; run < runs; run++) {
    const walk = await fetchPages(slug, key);
    if (!best || walk.totalMs < best.totalMs) best = walk;
  }
  if (!best) throw new Error("no walk");
  const authors = await authorDocuments(best.pages);
  let parsed = await parsePages(best.pages, authors);
  for (let run = 1; run < runs; run++) {
    const again = await parsePages(best.pages, authors);
    if (again.parsedMs + again.authorsMs < parsed.parsedMs + parsed.authorsMs) parsed = again;
  }
  return { ...best, parsed };
}

/**
 * Lines an instance logged at warning or above (and, at info, the items it skipped and the
 * documents it refused), counted.
 */
function trouble(praxis: BenchPraxis): string {
  const counts = new Map<string, number>();
  for (const child of [praxis.web, praxis.worker]) {
    for (const line of `${child.stdout()}\n${child.stderr()}`.split("\n")) {
      if (!/ (WRN|ERR|FTL) |Skipped|Did not take/.test(line)) continue;
      const message = line
        .replace(/^[\d:.]+ /, "")
        .slice(0, 300)
        .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, "…");
      counts.set(message, (counts.get(message) ?? 0) + 1);
    }
  }
  return [...counts].map(([message, count]) => `${count} × ${message}`).join("\n    ") || "none";
}

const byKind = (counts: Map<Kind, number>) =>
  kinds.map((kind) => `${counts.get(kind) ?? 0} ${listOf[kind]}`).join(", ");
const seconds = (value: number) => `${(value / 1000).toFixed(2)} s`;
const historyMsOf = (run: Backfill) => run.totalMs - run.admittedMs;

function describeBackfill(run: Backfill) {
  const stored = sum(run.stored);
  const pageDurations = run.pageEnds.map(
    (end, i) => end - (i === 0 ? run.admittedMs : (run.pageEnds[i - 1] ?? 0)),
  );
  const later = pageDurations.slice(1).sort((a, b) => a - b);
  const cpu = (name: string) => run.cpu[name] ?? 0;
  const praxisCpu = cpu("partner worker") + cpu("partner web") + cpu("hub worker") + cpu("hub web");
  return {
    "items stored on the partner": `${stored} of ${run.items} (${byKind(run.stored)})`,
    "approval → admitted on the partner": ms(run.admittedMs),
    "approval → first item stored": ms(run.firstItemMs),
    "approval → all stored": run.stalled
      ? `never: nothing stored after ${ms(run.lastStoredMs)} (see the hub's log)`
      : seconds(run.totalMs),
    "items per second (from the approval)": run.stalled
      ? "—"
      : perSecond(stored / (run.totalMs / 1000)),
    [`pages of ${historyPageLength} stored`]: run.pageEnds.length,
    "first page (admitted → 50 stored)": ms(pageDurations[0] ?? Number.NaN),
    "later pages, median / max": later.length
      ? `${ms(percentile(later, 0.5))} / ${ms(later.at(-1) ?? Number.NaN)}`
      : "—",
    "partner worker CPU": `${seconds(cpu("partner worker") * 1000)} (${ms((cpu("partner worker") * 1000) / stored)} per item)`,
    "partner web CPU": seconds(cpu("partner web") * 1000),
    "hub web CPU (serving the pages)": seconds(cpu("hub web") * 1000),
    "hub worker CPU": seconds(cpu("hub worker") * 1000),
    "partner PostgreSQL CPU": `${seconds(cpu("partner postgres") * 1000)} (${ms((cpu("partner postgres") * 1000) / stored)} per item)`,
    "hub PostgreSQL CPU": seconds(cpu("hub postgres") * 1000),
    "Praxis CPU ÷ wall time (2 cores)": ratio(praxisCpu / (run.totalMs / 1000)),
    "Praxis + PostgreSQL CPU ÷ wall time": ratio(
      (praxisCpu + cpu("partner postgres") + cpu("hub postgres")) / (run.totalMs / 1000),
    ),
    // Other people's tests on this shared machine slow a run down; this says how much ran.
    "other processes' CPU meanwhile (2 cores)": ratio(
      (cpu("machine") -
        praxisCpu -
        cpu("partner postgres") -
        cpu("hub postgres") -
        cpu("benchmark")) /
        (run.totalMs / 1000),
    ),
  };
}

function describeFloor(run: Backfill, floor: Awaited<ReturnType<typeof floorOf>>) {
  const historyMs = historyMsOf(run);
  const fetchPerPage = floor.pageTimes.reduce((a, b) => a + b, 0) / floor.pageTimes.length;
  return {
    "floor: signed GETs of the same pages, no storing": `${ms(floor.totalMs)} for ${floor.pages.length} pages and the Group and collection (${ms(fetchPerPage)} per page)`,
    "floor: each page's GET": `${floor.pageTimes.map((time) => time.toFixed(0)).join(", ")} ms`,
    "floor: Fedify parsing those pages here": `${ms(floor.parsed.parsedMs)} (${floor.parsed.objects} objects)`,
    "floor: … and each object's author from memory": `${ms(floor.parsed.authorsMs)} more (${ms(floor.parsed.authorsMs / floor.parsed.objects)} per item)`,
    "history time (admitted → all stored) ÷ fetch floor": `${(historyMs / floor.totalMs).toFixed(1)}×`,
    "history time ÷ (fetch + parse floors)": `${(historyMs / (floor.totalMs + floor.parsed.parsedMs)).toFixed(1)}×`,
    "per item beyond the fetch floor": ms((historyMs - floor.totalMs) / sum(run.stored)),
  };
}

let failed = true;
try {
  const admin = await hub.signUp("coordinator");
  const authorIds = [admin.id];
  for (let n = 1; n < 5; n++) authorIds.push((await hub.signUp(`author${n}`)).id);
  await partner.signUp("partneradmin");
  const rosa = await partner.signUp("rosa");
  const sizes = [
    ["warmup", 10],
    ["hundred", 100],
    ["fivehundred", 500],
  ] as const;
  const seedStarted = performance.now();
  for (const [slug, items] of sizes) await seedCommunity(slug, items, admin.token, authorIds);
  await drained(hubDatabase);
  console.log(`seeded 610 items in 3 communities in ${seconds(performance.now() - seedStarted)}`);

  const runs: Record<string, Backfill> = {};
  for (const [slug, items] of sizes) {
    const run = await backfill(slug, items, rosa, admin.token);
    runs[slug] = run;
    const listed = await listedOnPartner(slug, rosa.token);
    report(`Backfill of ${items} items (${slug}) for a member on the partner`, {
      ...describeBackfill(run),
      "listed by the partner's API to the member": byKind(listed),
    });
    // Her keys exist once she has signed something: her first request to join.
    const floor = await floorOf(slug, await memberKey(rosa.username)).catch(
      (error: Error) => error,
    );
    if (floor instanceof Error) console.log(`  floor failed: ${floor.message}`);
    else
      for (const [name, value] of Object.entries(describeFloor(run, floor))) {
        console.log(`  ${name}  ${value}`);
      }
  }
  const hundred = runs.hundred;
  const five = runs.fivehundred;
  if (hundred && five && !hundred.stalled && !five.stalled) {
    const perItem = (run: Backfill) => historyMsOf(run) / sum(run.stored);
    report("Linearity (admitted → all stored, per item)", {
      "100 items": ms(perItem(hundred)),
      "500 items": ms(perItem(five)),
      "500 ÷ 100": (perItem(five) / perItem(hundred)).toFixed(2),
    });
  }
  const [notices] = await partnerDatabase.sql<{ count: number }[]>`
    select count(*)::int as count from notifications n join accounts a on a.id = n.account_id
    where a.username = 'rosa' and n.kind = 'announcement'`;
  const mails = await readMailbox(partnerDatabase.directory);
  report("Side effects on the partner", {
    "announcement notices from the history (expected 0)": notices?.count ?? 0,
    "mails to the member": mails.length ? mails.map((mail) => mail.subject).join(" | ") : "none",
  });
  failed = false;
} finally {
  report(failed ? "Logs, as the run failed" : "Logs", {
    "partner, warnings and skipped items": trouble(partner),
    "hub, warnings and errors": trouble(hub),
  });
  // Every process is asked to stop first, so that all four write their profiles.
  const processes = [hub, partner].flatMap((praxis) => [praxis.web, praxis.worker]);
  for (const praxis of processes) {
    if (praxis.running() && praxis.child.pid) process.kill(praxis.child.pid, "SIGTERM");
  }
  await Promise.race([Promise.all(processes.map((praxis) => praxis.exited)), sleep(10_000)]);
  await hub.stop();
  await partner.stop();
  await hubDatabase.close();
  await partnerDatabase.close();
}
