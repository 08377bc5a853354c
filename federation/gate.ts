import type { MiddlewareHandler } from "hono";
import type { Deps } from "../server/deps.ts";
import { DomainError } from "../server/errors.ts";
import { mayFederateWith } from "../server/services/domains.ts";

/** The host named by a request's signature key (draft-cavage `keyId` or RFC 9421 `keyid`). */
export function signingHost(headers: Headers): string | null {
  const header = headers.get("signature-input") ?? headers.get("signature") ?? "";
  const keyId = /keyid="([^"]+)"/i.exec(header)?.[1];
  return keyId && URL.canParse(keyId) ? new URL(keyId).host : null;
}

/** The host of a delivered activity's `actor`, as written (Linked Data signatures and proofs). */
async function actorHost(request: Request): Promise<string | null> {
  try {
    const { actor } = (await request.clone().json()) as { actor?: unknown };
    const id = typeof actor === "string" ? actor : (actor as { id?: unknown } | null)?.id;
    return typeof id === "string" && URL.canParse(id) ? new URL(id).host : null;
  } catch {
    return null;
  }
}

/**
 * Refuses every signed request (deliveries and signed GETs alike) from a blocked server or
 * one outside FEDERATION_ALLOWLIST, before anything reads or verifies it, and a delivery
 * whose actor lives on such a server, whoever signed it. Checked on each request, so a block
 * ends a server's members' reading at once. The names are not verified here, but claiming a
 * blocked host only gets a sender refused: the keys themselves are checked, and fetched only
 * from servers this one federates with, by the document loader (loaders.ts).
 */
export function refuseBlockedSenders(deps: Deps): MiddlewareHandler {
  return async (c, next) => {
    const hosts = [signingHost(c.req.raw.headers)];
    if (c.req.method === "POST") hosts.push(await actorHost(c.req.raw));
    for (const host of hosts) {
      if (!host || host === deps.config.publicUrl.host) continue;
      if (!(await mayFederateWith(deps, host))) throw new DomainError("domain_blocked");
    }
    await next();
  };
}
