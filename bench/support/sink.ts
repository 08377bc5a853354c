import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { freePort } from "../../db/embedded.ts";

export interface SinkInstance {
  origin: string;
  host: string;
}

/**
 * Many fediverse servers we do not run, each on its own loopback address (127.1.x.y), all
 * answering 202 to whatever is posted — except the ones told to hang, which never answer.
 */
export interface Sink {
  instances: SinkInstance[];
  /** Every POST that got its 202, with when it was answered (performance.now()). */
  acknowledged: { host: string; at: number }[];
  /** POSTs received, answered or not. */
  posts(): number;
  hang(hosts: ReadonlySet<string>): void;
  reset(): void;
  close(): Promise<void>;
}

const addressOf = (index: number) => `127.1.${Math.floor(index / 250)}.${(index % 250) + 1}`;

export async function startSink(count: number): Promise<Sink> {
  const port = await freePort(addressOf(0));
  let hanging = new Set<string>();
  let posts = 0;
  const acknowledged: Sink["acknowledged"] = [];
  const sockets = new Set<Socket>();
  const answer = (request: IncomingMessage, response: ServerResponse) => {
    const host = request.headers.host ?? "";
    request.resume();
    request.on("end", () => {
      posts += 1;
      if (hanging.has(host)) return;
      response.writeHead(202).end();
      acknowledged.push({ host, at: performance.now() });
    });
  };
  const servers: Server[] = [];
  const instances: SinkInstance[] = [];
  for (let index = 0; index < count; index++) {
    const address = addressOf(index);
    const server = createServer(answer);
    server.on("connection", (socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((done) => server.listen(port, address, done));
    servers.push(server);
    instances.push({ origin: `http://${address}:${port}`, host: `${address}:${port}` });
  }
  return {
    instances,
    acknowledged,
    posts: () => posts,
    hang(hosts) {
      hanging = new Set(hosts);
    },
    reset() {
      posts = 0;
      acknowledged.length = 0;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
    },
  };
}
