import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, type Requester, requester, signUpWith } from "../support/client.ts";
import { eventually } from "../support/peer.ts";
import { describeOutput, killLaunched, type Praxis, startPraxisAt } from "../support/process.ts";
import { contexts, type RawPeer, signedRequest, startRawPeer } from "../support/raw-peer.ts";
import { type StoppablePostgres, startStoppablePostgres } from "../support/stoppable-postgres.ts";

const postgresAddress = "127.0.6.1";
const praxisAddress = "127.0.6.2";
const memberAddress = "127.0.6.3";
/** A delivery to a server that does not answer fails after this. */
const remoteTimeoutSeconds = 3;
/** Back within this of PostgreSQL answering again. */
const recoveryBudgetMs = 10_000;

/**
 * Praxis as `npm start` runs it, on a PostgreSQL of its own (DATABASE_URL) that is stopped
 * under it, and killed, and started again on the same port (issue 19: the process exited on
 * the queue's failed delete, and a failed handler's message was lost).
 */
describe("the database going away under a running server", () => {
  let database: StoppablePostgres;
  let dataDir: string;
  let praxis: Praxis;
  let origin: string;
  let request: Requester;
  let admin: Person;
  let member: RawPeer;
  let announced = 0;

  const output = () => praxis.stdout() + praxis.stderr();

  async function announce(): Promise<string> {
    const posted = await request("POST", "/api/v1/communities/outage/announcements", {
      token: admin.token,
      body: { title: `Notice ${++announced}`, content: "The meeting is moved to Friday." },
    });
    expect(posted.status, describeOutput(praxis)).toBe(201);
    return posted.body.uri;
  }

  const deliveredTo = (peer: RawPeer, uri: string) =>
    peer.received.some(({ body }) => JSON.stringify(body).includes(uri));

  /** What a reader and a probe are answered while PostgreSQL is gone. */
  async function expectRefusedForNow() {
    expect(praxis.running(), describeOutput(praxis)).toBe(true);
    const answer = await request("GET", "/api/v1/communities/outage");
    expect(answer.status, describeOutput(praxis)).toBe(503);
    expect(answer.body.error).toEqual({
      code: "database_unavailable",
      message: "This server cannot reach its database at the moment. Try again in a few seconds.",
    });
    expect(answer.headers.get("retry-after")).toBe("5");
    const write = await request("POST", "/api/v1/communities/outage/announcements", {
      token: admin.token,
      body: { title: "Not now", content: "The database is away." },
    });
    expect(write.status).toBe(503);
    // A peer's delivery is refused the same way, so that it tries again later.
    const sender = member.person("sender");
    const like = {
      "@context": contexts,
      id: `${sender.id}#likes/${Date.now()}`,
      type: "Like",
      actor: sender.id,
      object: `${origin}/actors/outage`,
    };
    const inbox = await fetch(signedRequest("POST", `${origin}/actors/outage/inbox`, sender, like));
    expect(inbox.status).toBe(503);
    expect(inbox.headers.get("retry-after")).toBe("5");
    const inFrench = await request("GET", "/api/v1/communities/outage", {
      headers: { "accept-language": "fr" },
    });
    expect(inFrench.body.error.message).toMatch(/base de données/);
    const health = await fetch(`${origin}/healthz`);
    expect(health.status).toBe(503);
    expect(health.headers.get("retry-after")).toBe("5");
    const page = await fetch(`${origin}/c/outage`);
    expect(page.status).toBe(503);
    expect(await page.text()).toContain("cannot reach its database");
  }

  /** Answers 200 again within seconds of PostgreSQL being back, and listens again. */
  async function expectBackSoon(): Promise<void> {
    await eventually(
      async () => (await request("GET", "/api/v1/communities/outage")).status,
      (status) => status === 200,
      `the API answering again${describeOutput(praxis)}`,
      [],
      recoveryBudgetMs,
    );
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);
    // postgres.js subscribes again by itself once it can: the queues are woken, not only polled.
    await eventually(
      () =>
        database.query<{ listening: number }>(
          "select count(*)::int as listening from pg_stat_activity where query ilike 'listen %'",
        ),
      ([row]) => row?.listening === 1,
      "the queues' LISTEN connection back",
    );
  }

  beforeAll(async () => {
    [database, member] = await Promise.all([
      startStoppablePostgres(postgresAddress),
      startRawPeer(memberAddress),
    ]);
    dataDir = await mkdtemp(join(tmpdir(), "praxis-outage-"));
    ({ origin, praxis } = await startPraxisAt(praxisAddress, {
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      ALLOW_PRIVATE_ADDRESSES: "true",
      REMOTE_TIMEOUT_SECONDS: String(remoteTimeoutSeconds),
      // A message left leased by a failed finish is taken again 5 s after this.
      QUEUE_HANDLER_TIMEOUT_SECONDS: "5",
      LOG_LEVEL: "info",
    }));
    request = requester(origin, (req) => fetch(req));
    admin = await signUpWith(request, "outageadmin");
    const created = await request("POST", "/api/v1/communities", {
      token: admin.token,
      body: { slug: "outage", name: "Outage", summary: "", privacy: "open" },
    });
    expect(created.status).toBe(201);
    const group = `${origin}/actors/outage`;
    const person = member.person("member");
    const follow = {
      "@context": contexts,
      id: `${person.id}#follows/1`,
      type: "Follow",
      actor: person.id,
      object: group,
    };
    expect((await fetch(signedRequest("POST", `${group}/inbox`, person, follow))).status).toBe(202);
    await eventually(
      async () => member.received.some(({ body }) => body?.type === "Accept"),
      (admitted) => admitted,
      "the member admitted",
      [],
      30_000,
    );
  }, 120_000);

  afterAll(async () => {
    await killLaunched();
    await member?.close();
    await database?.remove();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("answers 503 through a fast shutdown, then 200 once it is back, and delivers what was under way", async () => {
    // The member's server hangs: the announcement's delivery is in flight when PostgreSQL
    // stops, and fails when it is gone, so Fedify cannot store its retry.
    await member.goDown("hang");
    const uri = await announce();
    await eventually(
      () =>
        database.query<{ leased: number }>(
          "select count(*)::int as leased from queued_messages where queue = 'outbox' and leased_until > now()",
        ),
      ([row]) => (row?.leased ?? 0) > 0,
      "the delivery under way",
    );
    await database.stopFast();
    await expectRefusedForNow();
    // The delivery times out meanwhile, and neither its retry nor its end can be written.
    await sleep((remoteTimeoutSeconds + 2) * 1000);
    await expectRefusedForNow();

    await member.comeBack();
    await database.start();
    await expectBackSoon();
    await eventually(
      async () => deliveredTo(member, uri),
      (delivered) => delivered,
      `the announcement delivered after the outage${describeOutput(praxis)}`,
      [],
      30_000,
    );
  }, 90_000);

  it("answers 503 after PostgreSQL is killed, then 200 once it is back, and federates again", async () => {
    await database.kill();
    await expectRefusedForNow();
    await database.start();
    await expectBackSoon();
    const uri = await announce();
    await eventually(
      async () => deliveredTo(member, uri),
      (delivered) => delivered,
      `an announcement made after the outage delivered${describeOutput(praxis)}`,
      [],
      20_000,
    );
  }, 60_000);

  it("logs each outage once per part that waits for the database, and no unhandled failure", () => {
    const lines = output().split("\n");
    const noticed = lines.filter((line) => line.includes("The database cannot be reached by"));
    for (const part of ["the events queue", "the outbox queue", "the API"]) {
      const byPart = noticed.filter((line) => line.includes(part)).length;
      expect(byPart, `${part}:\n${noticed.join("\n")}`).toBeGreaterThanOrEqual(1);
      expect(byPart, `${part}:\n${noticed.join("\n")}`).toBeLessThanOrEqual(2);
    }
    expect(output()).not.toMatch(/unhandled rejection/i);
    expect(praxis.running()).toBe(true);
  });
});
