import type { MiddlewareHandler } from "hono";

/**
 * The components each label of an RFC 9421 `Signature-Input` covers: the items of its inner
 * list. Quoted strings are read whole, so that a parameter's value (`keyid="…(…)"`, or a
 * component's own `;name="content-digest"`) is never taken for a component.
 */
function rfc9421CoveredComponents(signatureInput: string): string[][] {
  const labels: string[][] = [];
  let list: string[] | null = null;
  for (let i = 0; i < signatureInput.length; i++) {
    const char = signatureInput[i];
    if (char === '"') {
      const startsItem =
        list !== null && (signatureInput[i - 1] === "(" || signatureInput[i - 1] === " ");
      let text = "";
      for (i++; i < signatureInput.length && signatureInput[i] !== '"'; i++) {
        if (signatureInput[i] === "\\") i++;
        text += signatureInput[i] ?? "";
      }
      if (startsItem) list?.push(text.toLowerCase());
    } else if (char === "(" && list === null) list = [];
    else if (char === ")" && list !== null) {
      labels.push(list);
      list = null;
    }
  }
  return labels;
}

/** The headers a draft-cavage `Signature` covers, its parameters read as Fedify reads them. */
function draftCavageCoveredHeaders(signature: string): string[] {
  const parameters = Object.fromEntries(
    signature
      .split(",")
      .map((pair) => /^\s*([A-Za-z]+)=(?:"([^"]*)"|(\d+))\s*$/.exec(pair))
      .filter((match) => match !== null)
      .map((match) => [match[1], match[2] ?? match[3]]),
  );
  return (parameters.headers ?? "").toLowerCase().split(/\s+/);
}

/** Why the request's signature leaves its body unsigned, or null if it covers the digest. */
function uncoveredBodyReason(headers: Headers): string | null {
  const signatureInput = headers.get("signature-input");
  // Fedify reads a request as RFC 9421 whenever it has a Signature-Input, as here.
  if (signatureInput !== null) {
    const labels = rfc9421CoveredComponents(signatureInput);
    const covered = labels.length > 0 && labels.every((list) => list.includes("content-digest"));
    return covered ? null : "The signature must cover content-digest";
  }
  const signature = headers.get("signature");
  if (signature === null) return null;
  return draftCavageCoveredHeaders(signature).includes("digest")
    ? null
    : "The signature must cover digest";
}

/**
 * Refuses a delivery whose HTTP signature does not cover its body's digest: whoever relays
 * it could swap the body (a signed Like for a Follow) and the signature would still hold.
 * Fedify checks the digest against the body only where the signature covers it, and does
 * not require RFC 9421 signatures to cover it. Every label must cover it, since Fedify takes
 * any one that verifies. An unsigned delivery passes on: its body may carry its own proof.
 */
export function refuseSignaturesWithoutDigest(): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== "POST") return next();
    const reason = uncoveredBodyReason(c.req.raw.headers);
    if (reason !== null) return c.text(reason, 401);
    await next();
  };
}
