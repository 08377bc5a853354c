import type { Server } from "node:http";

/**
 * Stops an HTTP server without letting its clients hold the process open. `server.close()`
 * only refuses new connections and closes the idle ones: a kept-alive connection busy at that
 * moment stays open, and a peer or proxy that sends on it every few seconds keeps the server
 * running for ever (a half-sent request, for the 81 s of the headers timeout). So every answer
 * from now on tells its client to close the connection, and what is still open after
 * `graceMs` is closed.
 */
export function stopServing(server: Server, graceMs: number): Promise<void> {
  // Before the application's listener, which may write its answer at once.
  server.prependListener("request", (_request, response) => {
    response.setHeader("connection", "close");
  });
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
  return closed.finally(() => clearTimeout(deadline));
}
