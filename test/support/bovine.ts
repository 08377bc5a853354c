import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { preloadedContexts } from "@fedify/vocab-runtime";
import { freePort } from "../../db/embedded.ts";
import {
  installedPeer,
  type PeerProcess,
  startPeerProcess,
  waitFor,
} from "../peers/peer-process.ts";

const script = resolve(dirname(fileURLToPath(import.meta.url)), "../peers/bovine_peer.py");

/**
 * A real bovine-herd server (Python, from PyPI) with one actor, and bovine's own client
 * speaking for that actor through its outbox and reading its inbox (test/peers/bovine_peer.py).
 */
export interface Bovine {
  host: string;
  origin: string;
  actorId: string;
  /** Posts an activity to the actor's outbox; bovine gives it an id and delivers it. */
  send(activity: Record<string, unknown>): Promise<{ status: number; location: string | null }>;
  /** What the actor's inbox holds, newest first, as bovine stored it. */
  inbox(): Promise<any[]>;
  /** An object as bovine has it, from its store or fetched for the actor (its proxyUrl). */
  fetch(id: string): Promise<any>;
  output(): string;
  stop(): Promise<void>;
}

/** One JSON request a line to the client process, one JSON answer a line back, in order. */
function lineChannel(client: PeerProcess) {
  const waiting: ((line: string) => void)[] = [];
  const lines: string[] = [];
  const reader = createInterface({ input: client.child.stdout ?? process.stdin });
  reader.on("line", (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else lines.push(line);
  });
  const nextLine = () =>
    new Promise<string>((done, fail) => {
      const line = lines.shift();
      if (line !== undefined) return done(line);
      const timer = setTimeout(
        () => fail(new Error(`bovine's client is silent\n${client.output()}`)),
        30_000,
      );
      waiting.push((text) => {
        clearTimeout(timer);
        done(text);
      });
    });
  let id = 0;
  return {
    nextLine,
    async call(request: Record<string, unknown>): Promise<any> {
      client.child.stdin?.write(`${JSON.stringify({ id: ++id, ...request })}\n`);
      const answer = JSON.parse(await nextLine());
      if (!answer.ok) throw new Error(`bovine's client: ${answer.error}`);
      return answer;
    },
  };
}

export async function startBovine(address: string, handle: string): Promise<Bovine> {
  const python = await installedPeer("bovine");
  const dataDir = await mkdtemp(join(tmpdir(), "praxis-bovine-"));
  const port = await freePort(address);
  const origin = `http://${address}:${port}`;
  const contexts = join(dataDir, "contexts.json");
  await writeFile(contexts, JSON.stringify(preloadedContexts));
  const server = startPeerProcess(
    python,
    [
      "-u",
      script,
      "serve",
      "--contexts",
      contexts,
      "--db",
      join(dataDir, "bovine.sqlite3"),
      "--address",
      address,
      "--port",
      String(port),
      "--handle",
      handle,
    ],
    { cwd: dataDir },
  );
  const registered = await waitFor(
    async () => {
      if (!server.running()) throw new Error("exited");
      const line = server
        .output()
        .split("\n")
        .find((text) => text.startsWith('{"actorId"'));
      if (!line) return undefined;
      const webfinger = await fetch(
        `${origin}/.well-known/webfinger?resource=acct:${handle}@${address}:${port}`,
      );
      return webfinger.status === 200
        ? (JSON.parse(line) as { actorId: string; secret: string })
        : undefined;
    },
    `bovine-herd at ${origin}`,
    server.output,
    60_000,
  );
  const client = startPeerProcess(
    python,
    [
      "-u",
      script,
      "client",
      "--contexts",
      contexts,
      "--actor",
      registered.actorId,
      "--secret",
      registered.secret,
    ],
    { cwd: dataDir },
  );
  const channel = lineChannel(client);
  const ready = JSON.parse(await channel.nextLine());
  if (!ready.ready) throw new Error(`bovine's client did not start\n${client.output()}`);
  return {
    host: `${address}:${port}`,
    origin,
    actorId: registered.actorId,
    async send(activity) {
      const { status, location } = await channel.call({ op: "send", activity });
      return { status, location };
    },
    async inbox() {
      return (await channel.call({ op: "inbox" })).items;
    },
    async fetch(id) {
      return (await channel.call({ op: "fetch", id })).object;
    },
    output: () =>
      `--- bovine-herd ---\n${server.output()}\n--- bovine client ---\n${client.output()}`,
    async stop() {
      await Promise.allSettled([client.stop(), server.stop()]);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
