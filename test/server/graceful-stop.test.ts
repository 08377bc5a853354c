import { connect, type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "../support/database.ts";
import { killLaunched, type Praxis, startPraxisAt, waitForExit } from "../support/process.ts";

// A peer or proxy keeps its connection open and sends on it now and then; a client may also
// be in the middle of a request when the server is told to stop. Neither may keep it running.
const address = "127.0.55.1";

let database: Awaited<ReturnType<typeof freshDatabase>>;

beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database.close();
});
afterEach(killLaunched);

async function start(): Promise<Praxis> {
  const { praxis } = await startPraxisAt(address, {
    DATABASE_URL: database.url,
    LOG_LEVEL: "warning",
  });
  return praxis;
}

function openConnection(praxis: Praxis): Promise<{ socket: Socket; received: () => string }> {
  return new Promise((resolve, reject) => {
    let text = "";
    const socket = connect(praxis.port, address, () => resolve({ socket, received: () => text }));
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      text += chunk;
    });
    socket.on("error", reject);
  });
}

const requestHead = `GET /healthz HTTP/1.1\r\nHost: ${address}\r\n`;

describe("stopping with connections still open", () => {
  it("answers the request under way, closes its connection and exits, however often the client sends on it", async () => {
    const praxis = await start();
    const { socket, received } = await openConnection(praxis);
    // Half a request: the connection is busy, not idle, when the signal comes.
    socket.write(requestHead);
    await sleep(200);
    process.kill(praxis.child.pid as number, "SIGTERM");
    await sleep(500);
    socket.write("\r\n");
    const keepSending = setInterval(() => {
      if (!socket.destroyed && socket.writable) socket.write(`${requestHead}\r\n`);
    }, 300);
    try {
      expect(await waitForExit(praxis, 10_000)).toEqual({ code: 0, signal: null });
    } finally {
      clearInterval(keepSending);
      socket.destroy();
    }
    expect(received()).toMatch(/^HTTP\/1\.1 200 /);
    expect(received()).toMatch(/\r\nconnection: close\r\n/i);
  }, 60_000);

  it("does not wait for a client that never finishes its request", async () => {
    const praxis = await start();
    const { socket } = await openConnection(praxis);
    socket.write(requestHead);
    await sleep(200);
    process.kill(praxis.child.pid as number, "SIGTERM");
    try {
      expect(await waitForExit(praxis, 20_000)).toEqual({ code: 0, signal: null });
    } finally {
      socket.destroy();
    }
  }, 60_000);
});
