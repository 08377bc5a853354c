import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Executor } from "../../db/index.ts";
import { accounts } from "../../db/schema/accounts.ts";
import { memberships } from "../../db/schema/memberships.ts";

/** An HTTP server that accepts whatever it is sent and notes each request, e.g. as an inbox. */
export interface Listener {
  /** host:port, as in a remote account's domain. */
  host: string;
  port: number;
  /** "METHOD /path" of each request, in order. */
  heard: string[];
  close(): Promise<void>;
}

export async function startListener(address: string): Promise<Listener> {
  const heard: string[] = [];
  const server = createServer((request, response) => {
    heard.push(`${request.method} ${request.url}`);
    request.resume();
    response.writeHead(202).end();
  });
  await new Promise<void>((done) => server.listen(0, address, done));
  const { port } = server.address() as AddressInfo;
  return {
    host: `${address}:${port}`,
    port,
    heard,
    close() {
      server.closeAllConnections();
      return new Promise((done) => server.close(() => done()));
    },
  };
}

/**
 * Makes `username`, an account on the server at `host` (host:port), an active member of a
 * local community, as an accepted Follow would: deliveries to the community's members go there.
 */
export async function addRemoteMember(
  db: Executor,
  communityId: string,
  host: string,
  username: string,
): Promise<{ inbox: string }> {
  const uri = `http://${host}/users/${username}`;
  const [account] = await db
    .insert(accounts)
    .values({ username, domain: host, uri, inbox: `${uri}/inbox` })
    .returning();
  if (!account) throw new Error("the remote account was not stored");
  await db.insert(memberships).values({ communityId, accountId: account.id, state: "active" });
  return { inbox: `${uri}/inbox` };
}
