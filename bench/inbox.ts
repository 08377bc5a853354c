/**
 * Inbox ingest: signed Create(Note) replies of about 2.5 KB from 50 members on another server
 * (half RSA-2048, half Ed25519) posted to a community's inbox as fast as it takes them; each
 * is stored and Announced by the group. Then the same replies offered at constant rates (open
 * loop), for the highest rate answered with p95 < 100 ms. Beside them, in the same run: the
 * same work done in one process with nothing between the steps (verify, parse, store, sign
 * the Announce, sign one delivery), Fedify's own verify+parse, and the raw RSA verify rate.
 * Prints figures; asserts nothing.
 * Run: npm run bench:inbox
 */

import { setTimeout as sleep } from "node:timers/promises";
import { rsaRates } from "./support/crypto.ts";
import { benchQuery, startBenchDatabase } from "./support/database.ts";
import { ms, percentile, perSecond, ratio, report } from "./support/figures.ts";
import { pipelineRate, verifyAndParseRate } from "./support/inbox-floors.ts";
import { atRate, connectionsTo, type MixRequest, sustainedRate } from "./support/open-loop.ts";
import { startBenchPraxis } from "./support/praxis.ts";
import { type RemoteActor, startRemoteServer } from "./support/remote-actors.ts";

const senders = 50;
const activities = 2_000;
const connections = 32;
/** Enough fresh replies for the open-loop search's steps (5, 10, 20, 40, … per second). */
const openLoopReplies = 2_000;
const stepSeconds = 5;
/**
 * The group's Announce of each Create, and its boost of the reply itself: the senders' server
 * speaks no Praxis, so it is sent both, as Mastodon and GoToSocial are (federation/outbox.ts).
 */
const announcesPerReply = 2;
/** Replies sent one at a time while PostgreSQL logs every statement. */
const countedReplies = 20;

const database = await startBenchDatabase();
const remote = await startRemoteServer("127.0.0.31", senders);
const praxis = await startBenchPraxis(database, "127.0.0.30");

const paragraph =
  "In our district the cash transfer reached households within nine days of the flood, " +
  "because the social registry already held their mobile money numbers. ";

/** A reply as Mastodon shapes one, about 2.5 KB once signed. */
function reply(actor: RemoteActor, n: number, thread: string, group: string) {
  const id = `${actor.id}/statuses/${n}`;
  return {
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${id}/activity`,
    type: "Create",
    actor: actor.id,
    published: new Date().toISOString(),
    to: [group],
    cc: [`${actor.id}/followers`],
    object: {
      id,
      type: "Note",
      attributedTo: actor.id,
      inReplyTo: thread,
      published: new Date().toISOString(),
      to: [group],
      cc: [`${actor.id}/followers`],
      content: `<p>${paragraph.repeat(13)}(${n})</p>`,
    },
  };
}

async function signAll(from: number, count: number, thread: string, group: string) {
  const signed: Request[] = [];
  for (let n = from; n < from + count; n++) {
    const actor = remote.actors[n % senders] as RemoteActor;
    signed.push(await remote.sign(actor, `${group}/inbox`, reply(actor, n, thread, group)));
  }
  return signed;
}

async function stored(): Promise<number> {
  const [row] = await database.sql.unsafe<{ count: number }[]>(
    `select ${benchQuery} count(*)::int as count from comments where uri is not null`,
  );
  return row?.count ?? 0;
}

/** Sends every request over `connections` at once; the latency of each and its status. */
async function post(requests: Request[]) {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < requests.length) {
        const request = requests[next++] as Request;
        const started = performance.now();
        const response = await fetch(request);
        await response.arrayBuffer();
        latencies.push(performance.now() - started);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), statuses };
}

/** A signed request as the open-loop generator sends it. */
async function asMixRequest(request: Request): Promise<MixRequest> {
  return {
    method: "POST",
    path: new URL(request.url).pathname,
    headers: Object.fromEntries(request.headers),
    body: await request.text(),
  };
}

/** How many of the group's Announces the senders' server has received. */
const announcesReceived = () => remote.received.get("Announce") ?? 0;

/**
 * Waits until `replies` more than `before` are stored and each Announced (both forms), or
 * `waitMs` passes.
 */
async function storedAndAnnounced(
  before: { stored: number; announced: number },
  replies: number,
  waitMs: number,
) {
  const deadline = performance.now() + waitMs;
  while (
    ((await stored()) < before.stored + replies ||
      announcesReceived() - before.announced < announcesPerReply * replies) &&
    performance.now() < deadline
  ) {
    await sleep(50);
  }
}

/**
 * Waits until the worker has stored every reply posted so far (a minute at most, in case some
 * were refused), so that every step starts with an empty queue.
 */
async function drained(expected: number) {
  const deadline = performance.now() + 60_000;
  while ((await stored()) < expected && performance.now() < deadline) await sleep(100);
}

try {
  const admin = await praxis.signUp("coordinator");
  const community = await praxis.request("POST", "/api/v1/communities", {
    token: admin.token,
    body: { slug: "practice", name: "Practice", summary: "", privacy: "open" },
  });
  const group = community.body.uri as string;
  const thread = await praxis.request("POST", "/api/v1/communities/practice/discussions", {
    token: admin.token,
    body: { title: "What worked after the floods?", content: "Tell us what reached people." },
  });
  await database.sql`
    with people as (
      insert into accounts (username, domain, uri, inbox, shared_inbox, state, email_notifications)
      select 'sender' || n, ${remote.host}, ${remote.origin} || '/users/sender' || n,
             ${remote.origin} || '/users/sender' || n || '/inbox', ${remote.origin} || '/inbox',
             'active', 'none'
      from generate_series(0, ${senders - 1}) as n
      returning id)
    insert into memberships (community_id, account_id, role, state)
    select ${community.body.id}, id, 'member', 'active' from people`;

  // One from each sender first, so that keys are fetched before the clock starts.
  await post(await signAll(0, senders, thread.body.uri, group));
  while ((await stored()) < senders) await sleep(50);
  const requests = await signAll(senders, activities, thread.body.uri, group);
  const bytes = new TextEncoder().encode((await requests[0]?.clone().text()) ?? "").byteLength;

  const beforeBurst = { stored: senders, announced: announcesReceived() };
  const started = performance.now();
  const { latencies, statuses } = await post(requests);
  const acceptedIn = performance.now() - started;
  await storedAndAnnounced(beforeBurst, activities, 600_000 - acceptedIn);
  const processedIn = performance.now() - started;
  const processed = activities / (processedIn / 1000);

  // Open loop: each step offers fresh replies at one rate, once the worker has caught up.
  const offered = await Promise.all(
    (await signAll(20_000, openLoopReplies, thread.body.uri, group)).map(asMixRequest),
  );
  const toPraxis = connectionsTo(praxis.origin);
  let sent = 0;
  const nextReply = () => {
    const request = offered[sent++];
    if (!request) throw new Error("the benchmark signed too few replies for the search");
    return request;
  };
  const capacity = await sustainedRate(
    async (rate) => {
      await drained(senders + activities + sent);
      return atRate(toPraxis, rate, stepSeconds, nextReply);
    },
    { start: 5, at: "p95" },
  );
  await toPraxis.close();

  const floorRequests = await signAll(10_000, 1_000, thread.body.uri, group);
  const ceiling = await verifyAndParseRate(floorRequests, senders);
  const pipeline = await pipelineRate(
    await signAll(30_000, 500, thread.body.uri, group),
    senders,
    database.sql,
    group,
  );
  const rsa = await rsaRates();

  // SQL statements per reply: a few replies one at a time, each stored and announced.
  const counted = await signAll(40_000, countedReplies, thread.body.uri, group);
  const beforeCounting = { stored: await stored(), announced: announcesReceived() };
  const statements = await database.statementsDuring(async () => {
    for (const request of counted) await (await fetch(request)).arrayBuffer();
    await storedAndAnnounced(beforeCounting, countedReplies, 60_000);
  });
  report(`Inbox ingest: ${activities.toLocaleString("en")} signed Create(Note) from 50 senders`, {
    "activity size": `${(bytes / 1024).toFixed(1)} KB`,
    answers: [...statuses].map(([status, count]) => `${count} × ${status}`).join(", "),
    "answer p50 / p95 (goal p95 < 100 ms)": `${ms(percentile(latencies, 0.5))} / ${ms(percentile(latencies, 0.95))}`,
    "accepted per second": perSecond(activities / (acceptedIn / 1000)),
    "stored and announced per second": perSecond(processed),
    "open loop: highest rate with p95 < 100 ms": `${perSecond(capacity.sustained)}${
      capacity.best ? ` (p50 ${ms(capacity.best.p50)}, p95 ${ms(capacity.best.p95)})` : ""
    }`,
    "open loop: steps (rate p95 failed)": capacity.steps
      .map((step) => `${step.rate} ${ms(step.p95)} ${step.failed}`)
      .join(" · "),
    "in one process: verify, parse, store, sign Announce and one delivery": perSecond(pipeline),
    "Fedify in-process parse+verify": perSecond(ceiling),
    "raw RSA-2048 verify, one core": perSecond(rsa.verify),
    "processed ÷ the same work in one process (goal ≥ 50%: ≤ 2× its cost)": ratio(
      processed / pipeline,
    ),
    "processed ÷ Fedify in-process (goal ≥ 70%)": ratio(processed / ceiling),
    "processed ÷ raw RSA verify": ratio(processed / rsa.verify),
    "SQL statements per reply (web and worker, one reply at a time)": (
      statements / countedReplies
    ).toFixed(1),
  });
} finally {
  await praxis.stop();
  await remote.close();
  await database.close();
}
