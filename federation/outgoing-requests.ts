import { lookup } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import { isValidPublicIPv4Address, isValidPublicIPv6Address } from "@fedify/vocab-runtime";
import { getLogger } from "@logtape/logtape";
import { Agent, buildConnector, setGlobalDispatcher } from "undici";

const logger = getLogger(["praxis", "federation", "outgoing"]);

export interface OutgoingRequestRules {
  /** How long another server may take to connect, answer or send a body. */
  timeoutMs: number;
  /** ALLOW_PRIVATE_ADDRESSES: whether loopback and private networks may be reached. */
  allowPrivateAddresses: boolean;
}

/**
 * Whether `address`, an IP literal, is on the public Internet. Fedify's own rule for the
 * actors it looks up, so that looking up and connecting never disagree: loopback, private,
 * link-local, CGNAT, unique-local, multicast, unspecified and documentation ranges are not,
 * nor IPv6 forms that embed an IPv4 address (mapped, NAT64, 6to4, Teredo). Anything that is
 * not an address at all is not public either.
 */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return isValidPublicIPv4Address(address);
  if (family === 6) return isValidPublicIPv6Address(address);
  return false;
}

/** A connection refused before it was made; undici and Fedify treat it as any network error. */
class PrivateAddressError extends Error {
  readonly code = "ERR_PRIVATE_ADDRESS";

  constructor(host: string, address: string) {
    super(`${host} is at ${address}, not a public address (ALLOW_PRIVATE_ADDRESSES is off)`);
    this.name = "PrivateAddressError";
  }
}

function refuse(host: string, address: string): PrivateAddressError {
  logger.warn(
    "Refused to connect to {host} at {address}, a private address (ALLOW_PRIVATE_ADDRESSES is off)",
    { host, address },
  );
  return new PrivateAddressError(host, address);
}

/**
 * Resolves a name as `dns.lookup` does, and fails if any of its addresses is private: a
 * name that answers with a public and a private address could otherwise be steered to the
 * private one.
 */
const lookupPublicOnly: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, "");
    const refused = addresses.find(({ address }) => !isPublicAddress(address));
    if (refused) return callback(refuse(hostname, refused.address), "");
    if (options.all) return callback(null, addresses);
    const [first] = addresses;
    callback(null, first?.address ?? "", first?.family);
  });
};

/** Opens connections only to public addresses, whether named by a URL or by DNS. */
function publicOnlyConnector(timeoutMs: number): buildConnector.connector {
  const connect = buildConnector({ timeout: timeoutMs, lookup: lookupPublicOnly });
  return (options, callback) => {
    // Node connects to an address literal without asking the lookup, so literals are checked here.
    if (isIP(options.hostname) && !isPublicAddress(options.hostname)) {
      callback(refuse(options.hostname, options.hostname), null);
      return;
    }
    connect(options, callback);
  };
}

/**
 * The rules every request this process sends obeys, set on the global dispatcher that
 * Node's `fetch` (and so Fedify) uses for deliveries, look-ups and the redirects they follow.
 *
 * Waits are bounded: the global `fetch` otherwise waits five minutes for an answer, and a
 * server that accepts connections and never replies would hold a delivery slot all that
 * time. Private addresses are refused when the connection is made, after DNS, since Fedify
 * checks them only when it looks an actor up: a member whose inbox points into this
 * server's network would otherwise receive signed POSTs there. Timed out or refused, a
 * delivery fails like any other and Fedify retries it later, then gives up.
 */
export function guardOutgoingRequests(rules: OutgoingRequestRules): void {
  setGlobalDispatcher(
    new Agent({
      connect: rules.allowPrivateAddresses
        ? { timeout: rules.timeoutMs }
        : publicOnlyConnector(rules.timeoutMs),
      headersTimeout: rules.timeoutMs,
      bodyTimeout: rules.timeoutMs,
    }),
  );
}
