import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { freePort } from "../../db/embedded.ts";

/** Starts floor-server.ts in its own process; answers its origin and a way to stop it. */
export async function startFloor(databaseUrl: string, address: string) {
  const port = await freePort(address);
  const child = spawn(
    process.execPath,
    ["--import", "tsx", fileURLToPath(new URL("./floor-server.ts", import.meta.url))],
    { env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: address } },
  );
  await new Promise<void>((ready, failed) => {
    child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && ready());
    child.once("exit", (code) => failed(new Error(`the floor server exited (${code})`)));
  });
  return { origin: `http://${address}:${port}`, stop: () => child.kill("SIGKILL") };
}
