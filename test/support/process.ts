import { type ChildProcess, spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { freePort } from "../../db/embedded.ts";
import { generousLimits } from "./limits.ts";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const startTimeoutMs = 60_000;
export const compiledServer = ["--enable-source-maps", "dist/node/server/main.js"];

/** Every server this test file launched, so that clean-up can find them. */
export const launched = new Set<Praxis>();

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Praxis {
  child: ChildProcess;
  port: number;
  stdout(): string;
  stderr(): string;
  exited: Promise<Exit>;
  running(): boolean;
}

/**
 * Runs the server as `npm start` does, from the compiled copy the global set-up keeps up to
 * date (`node dist/node/server/main.js`), in its own process group.
 */
export function launch(env: Record<string, string>, port = 0, nodeFlags: string[] = []): Praxis {
  const child = spawn(process.execPath, [...nodeFlags, ...compiledServer], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: process.env.HOME ?? tmpdir(),
      HOST: "127.0.0.1",
      ...generousLimits,
      ...env,
    },
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  let running = true;
  const exited = new Promise<Exit>((done) =>
    child.once("exit", (code, signal) => {
      running = false;
      done({ code, signal });
    }),
  );
  const praxis: Praxis = {
    child,
    port,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    running: () => running,
  };
  launched.add(praxis);
  return praxis;
}

export function describeOutput(praxis: Praxis): string {
  return `\n--- stdout ---\n${praxis.stdout()}\n--- stderr ---\n${praxis.stderr()}`;
}

export async function startPraxis(
  env: Record<string, string>,
  nodeFlags: string[] = [],
): Promise<Praxis> {
  const host = env.HOST ?? "127.0.0.1";
  const port = env.PORT ? Number(env.PORT) : await freePort(host);
  const praxis = launch({ PORT: String(port), ...env }, port, nodeFlags);
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    if (!praxis.running()) {
      throw new Error(`Praxis exited before answering /healthz${describeOutput(praxis)}`);
    }
    const health = await fetch(`http://${host}:${port}/healthz`).catch(() => undefined);
    if (health?.status === 200) return praxis;
    await sleep(250);
  }
  throw new Error(`Praxis did not answer /healthz within 60 s${describeOutput(praxis)}`);
}

/** Praxis answering on a free port at `address`, under that origin as its public URL. */
export async function startPraxisAt(
  address: string,
  env: Record<string, string>,
  nodeFlags: string[] = [],
): Promise<{ origin: string; praxis: Praxis }> {
  const port = await freePort(address);
  const origin = `http://${address}:${port}`;
  const praxis = await startPraxis(
    { HOST: address, PORT: String(port), PUBLIC_URL: origin, ...env },
    nodeFlags,
  );
  return { origin, praxis };
}

export async function waitForExit(praxis: Praxis, timeoutMs: number): Promise<Exit> {
  const timeout = sleep(timeoutMs).then(() => {
    throw new Error(`Praxis still running after ${timeoutMs} ms${describeOutput(praxis)}`);
  });
  return Promise.race([praxis.exited, timeout]);
}

/** Kills what is still running of every launched server, process group and all. */
export async function killLaunched(): Promise<void> {
  for (const praxis of launched) {
    if (praxis.running() && praxis.child.pid) {
      try {
        process.kill(-praxis.child.pid, "SIGKILL");
      } catch {}
      await waitForExit(praxis, 10_000).catch(() => {});
    }
  }
  launched.clear();
}
