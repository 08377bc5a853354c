/**
 * The API under load, posed as the field does: requests arrive at a constant rate (open
 * loop), and a search finds the highest rate Praxis sustains with p99 < 100 ms and nothing
 * failed, for a mix of 80% reads (a community's feed, a thread; public and private
 * communities, as members) and 20% replies over 10,000 threads in 100 communities (20
 * private). The same search, in the same run, finds the floor's: Hono answering a post read
 * by primary key through the same postgres.js pool. Then private against public feeds, and
 * the mix at the rate found while a fan-out to 1,450 inboxes drains. Each step lasts
 * BENCH_SECONDS (5). Prints figures and the load average; asserts nothing.
 * Run: npm run bench:api
 */
import { loadavg } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { startBenchDatabase } from "./support/database.ts";
import { cpuSeconds, ms, perSecond, ratio, report } from "./support/figures.ts";
import { startFloor } from "./support/floor.ts";
import { seedFollowers, servers } from "./support/followers.ts";
import {
  atRate,
  type Capacity,
  connectionsTo,
  type RateFigures,
  sustainedRate,
} from "./support/open-loop.ts";
import { startBenchPraxis } from "./support/praxis.ts";
import { startSink } from "./support/sink.ts";
import {
  feedReads,
  floorReads,
  mixedRequests,
  replies,
  seedTraffic,
  threadReads,
} from "./support/traffic.ts";

const seconds = Number(process.env.BENCH_SECONDS ?? 5);

const describe = (figures: RateFigures) =>
  `${perSecond(figures.rate)} asked, ${perSecond(figures.answered)} answered, ` +
  `p50 ${ms(figures.p50)}, p99 ${ms(figures.p99)}, ${figures.failed} failed` +
  (figures.failed
    ? ` (${[...figures.failures].map(([why, n]) => `${n} × ${why}`).join(", ")})`
    : "");

/** Each step tried: its rate, ✓ or ✗, and its p99 or what failed. */
const describeSearch = (capacity: Capacity) =>
  capacity.steps
    .map(({ rate, p99, failed, failures }) =>
      failed
        ? `${rate} ✗ ${[...failures].map(([why, n]) => `${n} × ${why}`).join(" ")}`
        : `${rate} ${p99 < 100 ? "✓" : "✗"} ${ms(p99)}`,
    )
    .join(", ");

/** A step's figures, and the web process's CPU per request answered during it. */
async function withCpu(step: Promise<RateFigures>) {
  const pid = praxis.web.child.pid ?? 0;
  const before = await cpuSeconds(pid);
  const figures = await step;
  const perRequest = ((await cpuSeconds(pid)) - before) / (figures.answered * seconds);
  return { figures, cpu: `${ms(perRequest * 1000)} of web CPU per request` };
}

const loadAverage = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(", ");

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

const loadBefore = loadAverage();
const database = await startBenchDatabase();
// The mix writes more replies per account than people do: the limit of writes is lifted.
const praxis = await startBenchPraxis(database, "127.0.33.40", {
  RATE_LIMIT_WRITES_PER_ACCOUNT: "1000000/1m",
});
const floor = await startFloor(database.url, "127.0.33.41");
const sink = await startSink(servers);
try {
  const traffic = await seedTraffic(database, praxis.request);
  const mix = mixedRequests(traffic);
  const toPraxis = connectionsTo(praxis.origin);
  const toFloor = connectionsTo(floor.origin);
  // Warm both up (JIT, prepared statements, pools, the database's cache) before anything is
  // measured: with 3 s, the first step of the search failed where later ones passed.
  await atRate(toPraxis, 50, 10, mix);
  await atRate(toFloor, 500, 3, floorReads(traffic));

  const floorCapacity = await sustainedRate(
    (rate) => atRate(toFloor, rate, seconds, floorReads(traffic)),
    { start: 500 },
  );
  const mixCapacity = await sustainedRate((rate) => atRate(toPraxis, rate, seconds, mix), {
    start: 50,
  });
  const feedRate = Math.max(mixCapacity.sustained, 20);
  const idlePid = praxis.web.child.pid ?? 0;
  const idleBefore = await cpuSeconds(idlePid);
  await sleep(seconds * 1000);
  const idleCpu = ((await cpuSeconds(idlePid)) - idleBefore) / seconds;
  // CPU per request is the figure that other people's load on the machine moves least.
  const steady = await withCpu(atRate(toPraxis, 20, seconds, mix));
  const publicFeeds = await withCpu(
    atRate(toPraxis, feedRate, seconds, feedReads(traffic, traffic.publicFeeds)),
  );
  const privateFeeds = await withCpu(
    atRate(toPraxis, feedRate, seconds, feedReads(traffic, traffic.privateFeeds)),
  );
  // Each kind of the mix alone, at a rate any run sustains: what each costs the web process.
  const threadsAlone = await withCpu(atRate(toPraxis, 20, seconds, threadReads(traffic)));
  const repliesAlone = await withCpu(atRate(toPraxis, 20, seconds, replies(traffic)));
  report(`API at a constant arrival rate, ${seconds} s steps (load average ${loadBefore} before)`, {
    "Praxis mix sustained (p99 < 100 ms, none failed)": perSecond(mixCapacity.sustained),
    "floor sustained (Hono + primary-key SELECT)": perSecond(floorCapacity.sustained),
    "Praxis ÷ floor (goal ≥ 25%)": ratio(mixCapacity.sustained / floorCapacity.sustained),
    "Praxis steps (requests/s)": describeSearch(mixCapacity),
    "floor steps (requests/s)": describeSearch(floorCapacity),
    "Praxis at its best step": mixCapacity.best ? describe(mixCapacity.best) : "none met the goal",
    "web CPU while no request comes": `${ms(idleCpu * 1000)} per second`,
    "the mix at 20/s": `${describe(steady.figures)}; ${steady.cpu}`,
    [`public feeds only, ${feedRate}/s`]: `${describe(publicFeeds.figures)}; ${publicFeeds.cpu}`,
    [`private feeds only, ${feedRate}/s`]: `${describe(privateFeeds.figures)}; ${privateFeeds.cpu}`,
    "threads only, 20/s": `${describe(threadsAlone.figures)}; ${threadsAlone.cpu}`,
    "replies only, 20/s": `${describe(repliesAlone.figures)}; ${repliesAlone.cpu}`,
    "private ÷ public p50 (goal ≤ 1.3)": (
      privateFeeds.figures.p50 / publicFeeds.figures.p50
    ).toFixed(2),
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
  const duringFanOut = await atRate(toPraxis, feedRate, Math.max(seconds, 10), mix);
  report("The same mix, at the rate sustained, while a fan-out to 1,450 inboxes drains", {
    "Praxis, mixed": describe(duringFanOut),
    "announcement answered": String((await announced).status),
    "deliveries acknowledged meanwhile": sink.acknowledged.length.toLocaleString("en"),
    "errors the server logged": loggedErrors(),
    "load average after (1, 5, 15 min)": loadAverage(),
  });
  await Promise.all([toPraxis.close(), toFloor.close()]);
} finally {
  floor.stop();
  await praxis.stop();
  await sink.close();
  await database.close();
}
