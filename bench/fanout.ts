/**
 * Fan-out: one announcement in an open community followed by 10,000 people on 500 servers
 * (450 with a shared inbox, 50 without, 20 followers each), all loopback sinks: 1,450 inboxes,
 * each sent the Announce of the Create and the boost, 2,900 POSTs.
 * Then the same with a second worker process on the same database, and with two workers and
 * 10% of those servers hanging. Prints figures; asserts nothing. Run: npm run bench:fanout
 */
import { setTimeout as sleep } from "node:timers/promises";
import { rsaRates } from "./support/crypto.ts";
import { startBenchDatabase } from "./support/database.ts";
import { cpuSeconds, ms, percentile, perSecond, ratio, report } from "./support/figures.ts";
import { followersEach, seedFollowers, servers, withSharedInbox } from "./support/followers.ts";
import { startBenchPraxis } from "./support/praxis.ts";
import { type Sink, startSink } from "./support/sink.ts";

/*
 * Each inbox gets a new post twice: the Group's Announce of its Create (Lemmy, Praxis) and a
 * boost of the post itself (Mastodon, GoToSocial); the sinks speak no Praxis, so both go.
 */
const announcesPerInbox = 2;
const inboxes = withSharedInbox + (servers - withSharedInbox) * followersEach;
const expectedPosts = announcesPerInbox * inboxes;

const database = await startBenchDatabase();
const sink = await startSink(servers);
const praxis = await startBenchPraxis(database, "127.0.0.20");

async function queuedMessages(): Promise<number> {
  const [row] = await database.sql<{ count: number }[]>`
    select count(*)::int as count from queued_messages`;
  return row?.count ?? 0;
}

interface Delivery {
  apiMs: number;
  /** When each healthy server's POST was acknowledged, in ms after the API call began. */
  acknowledgedAfter: Map<string, number[]>;
  posts: number;
  workerCpu: number;
}

/** CPU seconds used so far by every worker process. */
async function workersCpu(): Promise<number> {
  const each = await Promise.all(praxis.workers.map((worker) => cpuSeconds(worker.child.pid ?? 0)));
  return each.reduce((sum, seconds) => sum + seconds, 0);
}

/** Publishes one announcement and waits until every healthy server has acknowledged it. */
async function announce(token: string, healthyPosts: number, sink: Sink): Promise<Delivery> {
  sink.reset();
  const cpuBefore = await workersCpu();
  const started = performance.now();
  const answer = await praxis.request("POST", "/api/v1/communities/network/announcements", {
    token,
    body: { title: "Regional meeting moved", content: "It now takes place on **Friday**." },
  });
  const apiMs = performance.now() - started;
  if (answer.status !== 201)
    throw new Error(`announcement refused: ${JSON.stringify(answer.body)}`);
  const deadline = started + 300_000;
  while (sink.acknowledged.length < healthyPosts && performance.now() < deadline) await sleep(20);
  const workerCpu = (await workersCpu()) - cpuBefore;
  // Anything sent twice or to a wrong inbox would show up shortly after.
  await sleep(2_000);
  const acknowledgedAfter = new Map<string, number[]>();
  for (const { host, at } of sink.acknowledged) {
    acknowledgedAfter.set(host, [...(acknowledgedAfter.get(host) ?? []), at - started]);
  }
  return { apiMs, acknowledgedAfter, posts: sink.posts(), workerCpu };
}

/** When `share` of the POSTs to `hosts` had been acknowledged, in ms. */
function timeToShare(delivery: Delivery, hosts: ReadonlySet<string> | null, share: number) {
  const times = [...delivery.acknowledgedAfter]
    .filter(([host]) => !hosts || hosts.has(host))
    .flatMap(([, at]) => at)
    .sort((a, b) => a - b);
  return percentile(times, share);
}

try {
  const admin = await praxis.signUp("coordinator");
  const created = await praxis.request("POST", "/api/v1/communities", {
    token: admin.token,
    body: { slug: "network", name: "Network", summary: "", privacy: "open" },
  });
  await seedFollowers(database, sink, created.body.id);
  const rsa = await rsaRates();

  const first = await announce(admin.token, expectedPosts, sink);
  report("First announcement after the worker started (cold: JIT, connections, caches)", {
    "99% acknowledged": ms(timeToShare(first, null, 0.99)),
    "API answer": ms(first.apiMs),
  });
  while ((await queuedMessages()) > 0) await sleep(100);

  const all = await announce(admin.token, expectedPosts, sink);
  const acknowledged = [...all.acknowledgedAfter.values()].flat().length;
  const t99 = timeToShare(all, null, 0.99);
  report("Fan-out to 10,000 followers on 500 servers (450 with a shared inbox)", {
    [`POSTs sent (goal ${announcesPerInbox} × ${inboxes.toLocaleString("en")} inboxes)`]:
      all.posts.toLocaleString("en"),
    "POSTs acknowledged": acknowledged.toLocaleString("en"),
    "API answer (goal < 200 ms)": ms(all.apiMs),
    "99% acknowledged (goal < 10 s)": ms(t99),
    "all acknowledged": ms(timeToShare(all, null, 1)),
    "deliveries per second": perSecond(acknowledged / (timeToShare(all, null, 1) / 1000)),
    "worker CPU per delivery": ms((all.workerCpu * 1000) / acknowledged),
    "raw RSA-2048 signs, one core": perSecond(rsa.sign),
    "deliveries/s ÷ raw signs/s": ratio(
      acknowledged / (timeToShare(all, null, 1) / 1000) / rsa.sign,
    ),
  });
  while ((await queuedMessages()) > 0) await sleep(100);

  await praxis.addWorker();
  const twoWorkers = await announce(admin.token, expectedPosts, sink);
  const t99two = timeToShare(twoWorkers, null, 0.99);
  report("The same with two worker processes on the one database", {
    "99% acknowledged, one worker": ms(t99),
    "99% acknowledged, two workers": ms(t99two),
    // On 2 cores the web process, PostgreSQL and the 500 sinks run beside them.
    "time with two ÷ time with one": ratio(t99two / t99),
    "workers' CPU per delivery": ms(
      (twoWorkers.workerCpu * 1000) / [...twoWorkers.acknowledgedAfter.values()].flat().length,
    ),
  });
  while ((await queuedMessages()) > 0) await sleep(100);

  const hanging = new Set(
    sink.instances.filter((_, index) => index % 10 === 0).map((instance) => instance.host),
  );
  const healthy = new Set(
    sink.instances.map((instance) => instance.host).filter((host) => !hanging.has(host)),
  );
  sink.hang(hanging);
  const healthyPosts =
    announcesPerInbox *
    [...healthy].reduce(
      (sum, host) =>
        sum +
        (sink.instances.findIndex((i) => i.host === host) < withSharedInbox ? 1 : followersEach),
      0,
    );
  const degraded = await announce(admin.token, healthyPosts, sink);
  const before = timeToShare(twoWorkers, healthy, 0.99);
  const after = timeToShare(degraded, healthy, 0.99);
  report("Two workers, with 50 of the 500 servers hanging (never answering)", {
    "POSTs to healthy servers": healthyPosts.toLocaleString("en"),
    "99% of those acknowledged, all healthy": ms(before),
    "99% of those acknowledged, 10% hanging": ms(after),
    "slow-down (goal < 10%)": ratio(after / before - 1),
    "API answer": ms(degraded.apiMs),
  });
} finally {
  await praxis.stop();
  await sink.close();
  await database.close();
}
