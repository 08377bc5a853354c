/**
 * The API under load: 10,000 threads in 100 communities (20 private); 200 clients sending
 * 80% reads (a community's feed, a thread) and 20% replies for BENCH_SECONDS (60), beside
 * the floor of a Hono "hello" route and a `SELECT 1` measured in the same run; then private
 * against public feeds; then the same mix while a fan-out to 1,450 inboxes drains.
 * Prints figures; asserts nothing. Run: npm run bench:api
 */
import { startBenchDatabase } from "./support/database.ts";
import { ms, perSecond, report } from "./support/figures.ts";
import { startFloor } from "./support/floor.ts";
import { seedFollowers, servers } from "./support/followers.ts";
import { type LoadFigures, load } from "./support/load.ts";
import { startBenchPraxis } from "./support/praxis.ts";
import { startSink } from "./support/sink.ts";
import { feedReads, mixedRequests, seedTraffic } from "./support/traffic.ts";

const seconds = Number(process.env.BENCH_SECONDS ?? 60);
const floorSeconds = 10;

const describe = (figures: LoadFigures) =>
  `p50 ${ms(figures.p50)}, p95 ${ms(figures.p95)}, p99 ${ms(figures.p99)}, ` +
  `${perSecond(figures.requestsPerSecond)}, ${figures.errors} errors, ${figures.refused} refused`;

/** The first line of each error the web process logged (LOG_LEVEL=error), counted. */
function loggedErrors(): string {
  const counts = new Map<string, number>();
  for (const line of `${praxis.web.stdout()}\n${praxis.web.stderr()}`.split("\n")) {
    if (!line.includes(" ERR ")) continue;
    const message = line.slice(line.indexOf(" ERR ") + 5, 200);
    counts.set(message, (counts.get(message) ?? 0) + 1);
  }
  return [...counts].map(([message, count]) => `${count} × ${message}`).join("; ") || "none";
}

const database = await startBenchDatabase();
const praxis = await startBenchPraxis(database, "127.0.0.40");
const floor = await startFloor(database.url, "127.0.0.41");
const sink = await startSink(servers);
try {
  const traffic = await seedTraffic(database, praxis.request);
  const hello = await load(`${floor.origin}/hello`, floorSeconds);
  const selectOne = await load(`${floor.origin}/select-1`, floorSeconds);
  const publicFeeds = await load(
    praxis.origin,
    floorSeconds,
    feedReads(traffic, traffic.publicFeeds),
  );
  const privateFeeds = await load(
    praxis.origin,
    floorSeconds,
    feedReads(traffic, traffic.privateFeeds),
  );
  const mixed = await load(praxis.origin, seconds, mixedRequests(traffic));
  report(`API under load: 200 clients, 80% reads / 20% replies, ${seconds} s`, {
    "Praxis, mixed (goal p99 < 100 ms)": describe(mixed),
    "Hono hello route": describe(hello),
    "Hono + SELECT 1": describe(selectOne),
    "p99 ÷ SELECT 1 p99": `${(mixed.p99 / selectOne.p99).toFixed(1)}×`,
    "public feeds only": describe(publicFeeds),
    "private feeds only": describe(privateFeeds),
    "private ÷ public p50 (goal ≤ 1.3)": (privateFeeds.p50 / publicFeeds.p50).toFixed(2),
    statuses: [...mixed.statuses].map(([status, count]) => `${count} × ${status}`).join(", "),
    "errors the server logged": loggedErrors(),
  });

  const [network] = await database.sql<
    { id: string }[]
  >`select id from communities where slug = 'c1'`;
  await seedFollowers(database, sink, network?.id ?? "");
  const announced = praxis.request("POST", "/api/v1/communities/c1/announcements", {
    token: traffic.writers[0]?.token ?? "",
    body: { title: "Regional meeting moved", content: "It now takes place on Friday." },
  });
  const duringFanOut = await load(praxis.origin, seconds, mixedRequests(traffic));
  report("The same while a fan-out to 1,450 inboxes drains", {
    "Praxis, mixed": describe(duringFanOut),
    "announcement answered": String((await announced).status),
    "deliveries acknowledged meanwhile": sink.acknowledged.length.toLocaleString("en"),
    "errors the server logged": loggedErrors(),
  });
} finally {
  floor.stop();
  await praxis.stop();
  await sink.close();
  await database.close();
}
