import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, type Requester, requester, signUpWith } from "../support/client.ts";
import { freshDatabase } from "../support/database.ts";
import { circuitStates, letDeliveryTimePass } from "../support/delivery-clock.ts";
import { eventually } from "../support/peer.ts";
import {
  describeOutput,
  killLaunched,
  type Praxis,
  startPraxis,
  startPraxisAt,
  waitForExit,
} from "../support/process.ts";
import { contexts, type RawPeer, signedRequest, startRawPeer } from "../support/raw-peer.ts";

const hubAddress = "127.0.1.1";
const memberAddresses = Array.from({ length: 30 }, (_, n) => `127.0.1.${10 + n}`);
/** Longer than Fedify's default recovery delay (30 minutes), after which an open circuit probes. */
const outageMinutes = 31;
/** /healthz must answer within this, whatever the deliveries are doing. */
const healthBudgetMs = 2_000;

/** Asks /healthz four times a second until stopped, noting how long each answer took. */
function watchHealth(origin: string) {
  let watching = true;
  let slowestMs = 0;
  const failures: string[] = [];
  const watched = (async () => {
    while (watching) {
      const started = performance.now();
      const answer = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(10_000) })
        .then((response) => `${response.status}`)
        .catch((error: Error) => error.name);
      const ms = performance.now() - started;
      slowestMs = Math.max(slowestMs, ms);
      if (answer !== "200" || ms > healthBudgetMs)
        failures.push(`${answer} in ${Math.round(ms)} ms`);
      await sleep(250);
    }
  })();
  return {
    async stop() {
      watching = false;
      await watched;
      return { slowestMs: Math.round(slowestMs), failures };
    },
  };
}

/**
 * One open community on a real Praxis process with a member on each of thirty servers that
 * share no code with Praxis or Fedify. All thirty go down at once (half refuse connections,
 * half accept and never answer), long enough for every circuit to open, and come back at
 * once (issue 15: the breaker's clearing of a host's state failed every delivery there,
 * wedged pooled connections, hung /healthz and SIGTERM, and stayed broken after a restart).
 */
describe("thirty member servers down and back", () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let dataDir: string;
  let env: Record<string, string>;
  let hub: Praxis;
  let restarted: Praxis | undefined;
  let request: Requester;
  let admin: Person;
  let members: RawPeer[];
  let announced = 0;
  let wentDown = 0;
  const published: string[] = [];
  const health: { slowestMs: number; failures: string[] }[] = [];

  const logs = () => describeOutput(hub) + (restarted ? describeOutput(restarted) : "");

  async function announce(): Promise<string> {
    const posted = await request("POST", "/api/v1/communities/network/announcements", {
      token: admin.token,
      body: { title: `Notice ${++announced}`, content: "The meeting is moved to Friday." },
    });
    expect(posted.status).toBe(201);
    published.push(posted.body.uri);
    return posted.body.uri;
  }

  /** How many of the thirty servers were sent every one of `uris`. */
  const reachedBy = (uris: string[]) =>
    members.filter((member) => {
      const bodies = member.received.map((received) => JSON.stringify(received.body));
      return uris.every((uri) => bodies.some((body) => body.includes(uri)));
    }).length;

  const hostsWithCircuit = async (state: string) =>
    [...(await circuitStates(database)).entries()].filter(([, circuit]) => circuit.state === state)
      .length;

  /**
   * Connections to this database inside a transaction for more than three seconds, idle or
   * waiting on their client (a query half sent: ClientRead).
   */
  const stuckConnections = () => database.sql`
    select pid, state, wait_event, left(query, 120) as query from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid()
      and xact_start < now() - interval '3 seconds'
      and (state like 'idle in transaction%' or wait_event = 'ClientRead')`;

  beforeAll(async () => {
    database = await freshDatabase();
    dataDir = await mkdtemp(join(tmpdir(), "praxis-thirty-"));
    env = {
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      ALLOW_PRIVATE_ADDRESSES: "true",
      // A hanging server costs a delivery two seconds instead of ten.
      REMOTE_TIMEOUT_SECONDS: "2",
      LOG_LEVEL: "warning",
    };
    const [started, peers] = await Promise.all([
      startPraxisAt(hubAddress, env),
      Promise.all(memberAddresses.map((address) => startRawPeer(address))),
    ]);
    const { origin } = started;
    hub = started.praxis;
    members = peers;
    env = { ...env, HOST: hubAddress, PORT: String(hub.port), PUBLIC_URL: origin };
    request = requester(origin, (req) => fetch(req));
    admin = await signUpWith(request, "networkadmin");
    const created = await request("POST", "/api/v1/communities", {
      token: admin.token,
      body: { slug: "network", name: "Network", summary: "", privacy: "open" },
    });
    expect(created.status).toBe(201);
    const group = `${origin}/actors/network`;
    await Promise.all(
      members.map(async (member) => {
        const person = member.person("member");
        const follow = {
          "@context": contexts,
          id: `${person.id}#follows/1`,
          type: "Follow",
          actor: person.id,
          object: group,
        };
        const sent = await fetch(signedRequest("POST", `${group}/inbox`, person, follow));
        expect(sent.status).toBe(202);
      }),
    );
    await eventually(
      async () =>
        members.filter((member) => member.received.some(({ body }) => body?.type === "Accept"))
          .length,
      (admitted) => admitted === members.length,
      "every member admitted",
      [],
      60_000,
    );
  }, 120_000);

  afterAll(async () => {
    await killLaunched();
    await Promise.allSettled(members?.map((member) => member.close()) ?? []);
    await database?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("opens the circuit of every server while all thirty are down", async () => {
    const watch = watchHealth(env.PUBLIC_URL ?? "");
    wentDown = performance.now();
    await Promise.all(members.map((member, n) => member.goDown(n % 2 === 0 ? "refuse" : "hang")));
    // Fedify opens a circuit at five failures. An announcement's first delivery to a server
    // fails at once; its boost waits behind it (one post's activities go out in order).
    for (const _ of [1, 2, 3, 4, 5]) await announce();
    await eventually(
      () => hostsWithCircuit("open"),
      (open) => open === members.length,
      "every circuit open",
      [],
      60_000,
    );
    health.push(await watch.stop());
    console.info(
      `thirty servers down: every circuit open ${Math.round(performance.now() - wentDown)} ms after they went down`,
    );
    expect(reachedBy(published.slice(0, 1))).toBe(0);
  }, 90_000);

  it("delivers every announcement to all thirty once they are back and the circuits' recovery delay has passed", async () => {
    const watch = watchHealth(env.PUBLIC_URL ?? "");
    await Promise.all(members.map((member) => member.comeBack()));
    console.info(
      `thirty servers down for ${Math.round(performance.now() - wentDown)} ms, then ${outageMinutes} minutes for the deliveries`,
    );
    await announce();
    // The new announcement meets open circuits and is held with the others.
    await sleep(1_000);
    const recovery = performance.now();
    await letDeliveryTimePass(database, outageMinutes);
    try {
      await eventually(
        async () => reachedBy(published),
        (reached) => reached === members.length,
        `all ${published.length} announcements at every server`,
        [],
        60_000,
      );
      console.info(
        `thirty servers back: all ${published.length} announcements at all thirty ${Math.round(performance.now() - recovery)} ms after the recovery delay passed`,
      );
    } finally {
      health.push(await watch.stop());
    }
  }, 90_000);

  it(`answers /healthz within ${healthBudgetMs} ms throughout the outage and the recovery`, () => {
    console.info(
      `slowest /healthz: ${health.map((watched) => watched.slowestMs).join(" ms, ")} ms`,
    );
    expect(health.flatMap((watched) => watched.failures)).toEqual([]);
  });

  it("leaves no PostgreSQL connection stuck in a transaction", async () => {
    expect(await stuckConnections()).toEqual([]);
  });

  it("keeps no circuit of the outage once every server was reached", async () => {
    expect(await circuitStates(database)).toEqual(new Map());
  });

  it("stops within five seconds of SIGTERM", async () => {
    if (!hub.child.pid) throw new Error("Praxis has no process id");
    const asked = performance.now();
    process.kill(-hub.child.pid, "SIGTERM");
    expect(await waitForExit(hub, 5_000)).toEqual({ code: 0, signal: null });
    console.info(`SIGTERM: stopped in ${Math.round(performance.now() - asked)} ms`);
  });

  it("delivers at once after a restart on the same database", async () => {
    if (hub.running() && hub.child.pid) {
      // SIGTERM did not stop it: it must be gone before another process takes its port.
      process.kill(-hub.child.pid, "SIGKILL");
      await hub.exited;
    }
    restarted = await startPraxis(env);
    const started = performance.now();
    const uri = await announce();
    await eventually(
      async () => reachedBy([uri]),
      (reached) => reached === members.length,
      "the announcement after the restart at every server",
      [],
      10_000,
    );
    console.info(
      `after the restart: at all thirty in ${Math.round(performance.now() - started)} ms`,
    );
  }, 60_000);

  it("logs no UNDEFINED_VALUE", () => {
    const lines = logs()
      .split("\n")
      .filter((line) => line.includes("UNDEFINED_VALUE"));
    expect(lines.length, lines[0]).toBe(0);
  });
});
