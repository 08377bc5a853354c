import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../db/embedded.ts";
import { type Person, requester, signUpWith } from "../support/client.ts";
import { freshDatabase } from "../support/database.ts";
import { eventually } from "../support/peer.ts";
import { describeOutput, killLaunched, startPraxis } from "../support/process.ts";

const followerCount = 1_000;

/** Inboxes of a thousand people on one server we do not run: it keeps what each receives. */
async function startSink(address: string) {
  const port = await freePort(address);
  const origin = `http://${address}:${port}`;
  const received = new Map<string, string[]>();
  let posts = 0;
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", async () => {
      posts += 1;
      // A little slow, as real servers are: the fan-out is still under way when the worker dies.
      await sleep(20);
      const id = (JSON.parse(body) as { id: string }).id;
      const path = request.url ?? "";
      received.set(path, [...(received.get(path) ?? []), id]);
      response.writeHead(202).end();
    });
  });
  await new Promise<void>((done) => server.listen(port, address, done));
  return {
    origin,
    host: `${address}:${port}`,
    received,
    posts: () => posts,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/**
 * A web process that only enqueues and a worker that delivers, sharing one database: the
 * worker is killed outright in the middle of a fan-out and started again.
 */
describe("deliveries when a worker dies", () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let sink: Awaited<ReturnType<typeof startSink>>;
  let dataDir: string;
  let admin: Person;
  let env: Record<string, string>;

  const startWorker = async () =>
    startPraxis({
      ...env,
      PRAXIS_ROLE: "worker",
      PORT: String(await freePort("127.0.0.9")),
    });

  beforeAll(async () => {
    database = await freshDatabase();
    sink = await startSink("127.0.0.8");
    dataDir = await mkdtemp(join(tmpdir(), "praxis-crash-"));
    const port = await freePort("127.0.0.9");
    const origin = `http://127.0.0.9:${port}`;
    env = {
      HOST: "127.0.0.9",
      PUBLIC_URL: origin,
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      ALLOW_PRIVATE_ADDRESSES: "true",
      QUEUE_HANDLER_TIMEOUT_SECONDS: "3",
      LOG_LEVEL: "error",
    };
    await startPraxis({ ...env, PRAXIS_ROLE: "web", PORT: String(port) });
    const request = requester(origin, (req) => fetch(req));
    admin = await signUpWith(request, "crowdadmin");
    const created = await request("POST", "/api/v1/communities", {
      token: admin.token,
      body: { slug: "crowd", name: "Crowd", summary: "", privacy: "open" },
    });
    expect(created.status).toBe(201);
    await database.sql`
      with people as (
        insert into accounts (username, domain, uri, inbox, state, email_notifications)
        select 'reader' || n, ${sink.host}, ${sink.origin} || '/users/' || n,
               ${sink.origin} || '/users/' || n || '/inbox', 'active', 'none'
        from generate_series(1, ${followerCount}) as n
        returning id)
      insert into memberships (community_id, account_id, role, state)
      select ${created.body.id}, id, 'member', 'active' from people`;
  }, 120_000);

  afterAll(async () => {
    await killLaunched();
    await sink.close();
    await database.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("delivers to every one of a thousand inboxes at least once, each copy the same activity", async () => {
    const request = requester(env.PUBLIC_URL ?? "", (req) => fetch(req));
    const announced = await request("POST", "/api/v1/communities/crowd/announcements", {
      token: admin.token,
      body: { title: "Regional meeting moved", content: "It is now on Friday." },
    });
    expect(announced.status).toBe(201);

    const worker = await startWorker();
    await eventually(
      async () => sink.posts(),
      (posts) => posts >= 150,
      "the fan-out under way",
      [],
      60_000,
    );
    if (!worker.child.pid) throw new Error("the worker has no process id");
    process.kill(-worker.child.pid, "SIGKILL");
    await worker.exited;
    const beforeRestart = sink.received.size;
    expect(beforeRestart).toBeLessThan(followerCount);

    // A new post goes out twice: relayed as its Create, and boosted as itself.
    const sent = 2;
    const restarted = await startWorker();
    await eventually(
      async () => [...sink.received.values()].filter((got) => new Set(got).size === sent).length,
      (reached) => reached === followerCount,
      `every inbox given both activities (worker output: ${describeOutput(restarted)})`,
      [],
      90_000,
    );
    const ids = new Set([...sink.received.values()].flat());
    expect(ids.size).toBe(sent);
    const copies = [...sink.received.values()].reduce((sum, got) => sum + got.length, 0);
    expect(copies).toBeGreaterThanOrEqual(sent * followerCount);
    console.info(
      `crash test: ${beforeRestart} inboxes reached before the kill, ${copies - sent * followerCount} delivered twice after it`,
    );
    await eventually(
      async () => (await database.sql`select count(*)::int as left from queued_messages`)[0]?.left,
      (left) => left === 0,
      "the queues drained",
      [],
      30_000,
    );
  }, 180_000);
});
