import { Agent } from "undici";

/**
 * Sends requests from another loopback address, as a second client on another network
 * would: the server sees that address as the connection's peer. `close` ends its sockets.
 */
export function clientAt(address: string) {
  const dispatcher = new Agent({ localAddress: address });
  return {
    send: (request: Request) => fetch(request, { dispatcher } as RequestInit),
    close: () => dispatcher.close(),
  };
}
