import { createServer, type Server } from "node:http";
import type { Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../db/embedded.ts";
import { guardOutgoingRequests } from "../../federation/outgoing-requests.ts";

/** A server that takes the connection and the request, and never answers. */
describe("a server that never answers", () => {
  let server: Server;
  let origin: string;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    server = createServer(() => {});
    server.on("connection", (socket) => sockets.add(socket));
    await new Promise<void>((done) => server.listen(port, "127.0.0.1", done));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((done) => server.close(done));
  });

  it("makes a delivery fail after the configured wait instead of holding it for minutes", async () => {
    guardOutgoingRequests({ timeoutMs: 500, allowPrivateAddresses: true });
    const started = performance.now();
    const delivery = fetch(`${origin}/inbox`, { method: "POST", body: "{}" });
    await expect(delivery).rejects.toThrow(/fetch failed/);
    expect(performance.now() - started).toBeGreaterThanOrEqual(450);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
