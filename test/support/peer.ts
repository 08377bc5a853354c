import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  type Person,
  type ReceivedMail,
  type Requester,
  readMailbox,
  requester,
  signUpWith,
} from "./client.ts";
import { describeOutput, type Praxis, startPraxisAt, waitForExit } from "./process.ts";

/** A Praxis instance in its own process, with its own embedded PostgreSQL, on a loopback address. */
export interface Peer {
  /** host:port, as in handles and refs. */
  host: string;
  origin: string;
  praxis: Praxis;
  request: Requester;
  signUp(username: string, extra?: Record<string, unknown>): Promise<Person>;
  mails(): Promise<ReceivedMail[]>;
  stop(): Promise<void>;
}

export async function startPeer(address: string, env: Record<string, string> = {}): Promise<Peer> {
  const dataDir = await mkdtemp(join(tmpdir(), "praxis-peer-"));
  const { origin, praxis } = await startPraxisAt(address, {
    DATA_DIR: dataDir,
    ALLOW_PRIVATE_ADDRESSES: "true",
    LOG_LEVEL: process.env.PEER_LOG_LEVEL ?? "warning",
    ...env,
  });
  const request = requester(origin, (req) => fetch(req));
  return {
    host: `${address}:${praxis.port}`,
    origin,
    praxis,
    request,
    signUp: (username, extra) => signUpWith(request, username, extra),
    mails: () => readMailbox(dataDir),
    async stop() {
      if (praxis.running() && praxis.child.pid) {
        process.kill(-praxis.child.pid, "SIGTERM");
        await waitForExit(praxis, 20_000);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Waits for something that another server does in its own time; fails with the last value. */
export async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  what: string,
  peers: Peer[] = [],
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!accept(value)) {
    if (Date.now() > deadline) {
      const logs = peers.map((peer) => `${peer.host}:${describeOutput(peer.praxis)}`).join("\n");
      throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms\n${logs}`);
    }
    await sleep(100);
    value = await probe();
  }
  return value;
}
