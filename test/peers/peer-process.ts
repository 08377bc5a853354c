import { type ChildProcess, execFile, spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
const installScript = resolve(here, "install.sh");

/** A cold build of GoToSocial takes some minutes; a second call answers at once. */
export const installTimeoutMs = 20 * 60_000;

/**
 * Where `test/peers/install.sh` put a peer, building it first when it is missing: the one
 * place that knows versions and folders (under PRAXIS_PEERS_DIR, which .ci/run sets).
 */
export async function installedPeer(name: "gotosocial" | "bovine"): Promise<string> {
  const { stdout } = await promisify(execFile)("bash", [installScript, name], {
    timeout: installTimeoutMs,
    maxBuffer: 16 * 1024 * 1024,
  }).catch((error: { stderr?: string; message: string }) => {
    throw new Error(`${name} could not be installed: ${error.stderr?.trim() || error.message}`);
  });
  const line = stdout.split("\n").find((text) => text.startsWith(`${name}=`));
  if (!line) throw new Error(`test/peers/install.sh named no ${name}: ${stdout}`);
  return line.slice(name.length + 1);
}

/** A peer server in its own process group, its output kept for failure messages. */
export interface PeerProcess {
  child: ChildProcess;
  output(): string;
  running(): boolean;
  stop(): Promise<void>;
}

export function startPeerProcess(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): PeerProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    detached: true,
    stdio: ["pipe", "pipe", "pipe"],
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: process.env.HOME ?? "/",
      ...options.env,
    },
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output += chunk.toString("utf8");
    // Enough to explain a failure; a chatty server must not fill the test's memory.
    if (output.length > 400_000) output = output.slice(-200_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let running = true;
  const exited = new Promise<void>((done) =>
    child.once("exit", () => {
      running = false;
      done();
    }),
  );
  return {
    child,
    output: () => output,
    running: () => running,
    async stop() {
      if (!running || !child.pid) return;
      process.kill(-child.pid, "SIGTERM");
      const stopped = await Promise.race([
        exited.then(() => true),
        sleep(10_000).then(() => false),
      ]);
      if (!stopped && running) {
        process.kill(-child.pid, "SIGKILL");
        await exited;
      }
    },
  };
}

/** Polls until `probe` answers something other than undefined, or fails with `explain()`. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  explain: () => string,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await sleep(250);
  }
  throw new Error(`${what}: not within ${timeoutMs} ms\n${explain()}`);
}
