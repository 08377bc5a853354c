import type { MiddlewareHandler } from "hono";
import type { Deps } from "../server/deps.ts";
import { DomainError } from "../server/errors.ts";
import { mayFederateWith } from "../server/services/domains.ts";

/** The host named by a request's signature key (draft-cavage `keyId` or RFC 9421 `keyid`). */
function signingHost(headers: Headers): string | null {
  const header = headers.get("signature-input") ?? headers.get("signature") ?? "";
  const keyId = /keyid="([^"]+)"/i.exec(header)?.[1];
  if (!keyId) return null;
  try {
    return new URL(keyId).host;
  } catch {
    return null;
  }
}

/**
 * Refuses deliveries from blocked servers (or from outside FEDERATION_ALLOWLIST) before
 * anything reads or verifies them. The key's host is not yet verified here, but claiming a
 * blocked host only gets a sender refused; Fedify still checks every other signature.
 */
export function refuseBlockedSenders(deps: Deps): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== "POST") return next();
    const host = signingHost(c.req.raw.headers);
    if (host && !(await mayFederateWith(deps, host))) throw new DomainError("domain_blocked");
    await next();
  };
}
