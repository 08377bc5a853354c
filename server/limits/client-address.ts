import { BlockList, isIPv4, isIPv6 } from "node:net";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";

/** Requests handed to the app in the same process (tests, tools) have no connection. */
const noConnection = "in-process";

const proxyLists = new WeakMap<string[], BlockList>();

/** The reverse proxies of TRUSTED_PROXIES (addresses or ranges), as one list to check against. */
function trustedProxyList(entries: string[]): BlockList {
  const known = proxyLists.get(entries);
  if (known) return known;
  const list = new BlockList();
  for (const entry of entries) {
    const [address = "", prefix] = entry.split("/");
    const family = isIPv6(address) ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  proxyLists.set(entries, list);
  return list;
}

function isTrusted(proxies: BlockList, address: string): boolean {
  if (isIPv4(address)) return proxies.check(address, "ipv4");
  return isIPv6(address) && proxies.check(address, "ipv6");
}

/** `::ffff:1.2.3.4`, as a dual-stack socket reports an IPv4 peer, is just `1.2.3.4`. */
function withoutIPv4Mapping(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped?.[1] ?? address;
}

/** The eight groups of an IPv6 address, `::` expanded. */
function ipv6Groups(address: string): string[] {
  const [head = "", tail] = address.split("::");
  const part = (text: string) => (text ? text.split(":") : []);
  const left = part(head);
  const right = tail === undefined ? [] : part(tail);
  return [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
}

/**
 * One IPv6 network (a /64) is one client, as one IPv4 address is: a single subscriber gets a
 * whole /64, so counting addresses one by one would not limit anybody. As Mastodon's
 * `throttleable_remote_ip` (config/initializers/rack_attack.rb) and GoToSocial's
 * `WithIPv6Mask` (internal/middleware/ratelimit.go) do.
 */
function asClient(address: string): string {
  if (!isIPv6(address)) return address;
  const network = ipv6Groups(address)
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16));
  return `${network.join(":")}::/64`;
}

/**
 * Who is asking, as limits count them: the connection's peer or, when that peer is one of
 * TRUSTED_PROXIES, the address the proxies say they received the request from (the last
 * one in `X-Forwarded-For` that no trusted proxy added). An untrusted peer's
 * `X-Forwarded-For` is ignored: anyone can write one.
 */
export function clientAddress(c: Context, trustedProxies: string[]): string {
  const proxies = trustedProxyList(trustedProxies);
  const env = c.env as { incoming?: unknown; server?: unknown } | undefined;
  const peer = env?.incoming || env?.server ? getConnInfo(c).remote.address : undefined;
  if (!peer) return noConnection;
  let address = withoutIPv4Mapping(peer);
  const forwarded = (c.req.header("x-forwarded-for") ?? "")
    .split(",")
    .map((hop) => withoutIPv4Mapping(hop.trim()))
    .filter((hop) => isIPv4(hop) || isIPv6(hop));
  while (isTrusted(proxies, address) && forwarded.length > 0) {
    address = forwarded.pop() as string;
  }
  return asClient(address);
}
