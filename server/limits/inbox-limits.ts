import type { MiddlewareHandler } from "hono";
import { signingHost } from "../../federation/gate.ts";
import type { Deps } from "../deps.ts";
import { actorPathTemplate } from "../urls.ts";
import { clientAddress } from "./client-address.ts";
import { counter } from "./counters.ts";

const actorInbox = new RegExp(`^${actorPathTemplate.replace("{identifier}", "[^/]+")}/inbox$`);

function isInbox(path: string): boolean {
  return path === "/inbox" || actorInbox.test(path);
}

/**
 * Limits deliveries to inboxes per remote server, and per client address for what no server
 * answers for. A delivery is charged to the server its signature names only once Fedify has
 * verified that signature (it answered 2xx): anyone can write another server's `keyId`, and
 * a forger must not use up that server's allowance. Until then it is charged to the address
 * it came from. Both are checked before anything reads the body or fetches a key.
 */
export function limitInboxDeliveries(deps: Deps): MiddlewareHandler {
  const limit = deps.config.rateLimits.inboxPerServer;
  const servers = counter(deps, "inbox-server", limit, "rate_limited");
  const clients = counter(deps, "inbox-client", limit, "rate_limited");
  return async (c, next) => {
    if (c.req.method !== "POST" || !isInbox(c.req.path)) return next();
    const server = signingHost(c.req.raw.headers);
    const client = clientAddress(c, deps.config.trustedProxies);
    await clients.check(client);
    if (server) await servers.check(server);
    await next();
    if (server && c.res.status < 400) await servers.add(server);
    else await clients.add(client);
  };
}
