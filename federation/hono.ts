import type { Federation } from "@fedify/fedify";
import type { Context, MiddlewareHandler } from "hono";
import { withAttachmentLists } from "./objects.ts";
import { expandPublicAddress } from "./public-address.ts";

const activityTypes = /application\/(activity|ld)\+json/;

/** A served document's last touches: terms Fedify cannot write, and Lemmy's forms. */
async function finished(
  response: Response,
  addTerms: (document: unknown) => Promise<unknown>,
): Promise<Response> {
  if (
    !response.ok ||
    response.body === null ||
    !activityTypes.test(response.headers.get("content-type") ?? "")
  ) {
    return response;
  }
  const document = expandPublicAddress(withAttachmentLists(await addTerms(await response.json())));
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return new Response(JSON.stringify(document), { status: response.status, headers });
}

/**
 * Fedify was handed a key of another kind than the signature it checks: Fedify 2.3.6 checks
 * every draft-cavage signature as RSA (verifyRequestDraft in its sig/http.ts), and WebCrypto
 * throws when that key is Ed25519, as Mitra's `hs2019` ones are
 * (apx_core/src/http_signatures/create.rs). Its RFC 9421 signatures with the same key pass.
 */
const isKeyOfAnotherKind = (error: unknown) =>
  error instanceof DOMException && error.name === "InvalidAccessError";

/**
 * What Fedify's own key readers throw (@fedify/vocab-runtime key.ts: importSpki, importPem,
 * importMultibaseKey): TypeErrors, which its inbox takes for bad input only when their message
 * says "Invalid JSON-LD", "Invalid type" and the like (isValidationTypeError), so these pass up.
 */
const fedifyKeyFailure = /^(Invalid PEM-SPKI format|Unsupported algorithm:|Unsupported key type:)/;

/**
 * A key in the body that cannot be read, such as an Update whose actor carries a broken
 * `publicKeyPem`: Fedify reads embedded keys while it parses the activity, and the PEM
 * readers under it throw their own errors (pkijs an AsnError, node:crypto an ERR_OSSL_ one,
 * WebCrypto a DataError, Fedify's a TypeError that base64 did not decode).
 */
const isUnreadableKey = (error: unknown) =>
  error instanceof Error &&
  (error.name === "AsnError" ||
    (error instanceof TypeError && fedifyKeyFailure.test(error.message)) ||
    (error instanceof DOMException && error.name === "DataError") ||
    String((error as { code?: unknown }).code).startsWith("ERR_OSSL"));

/** The 4xx for what Fedify throws on another server's keys, or null for a failure of ours. */
function answerToKeyFailure(error: unknown): Response | null {
  const refusal = (status: number, text: string) =>
    new Response(text, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
  if (isKeyOfAnotherKind(error)) {
    return refusal(401, "An Ed25519 key signs here with RFC 9421 signatures only");
  }
  if (isUnreadableKey(error)) return refusal(400, "A public key in the activity cannot be read");
  return null;
}

/**
 * Lets Fedify answer the requests it knows (actors, WebFinger, NodeInfo, inboxes) and
 * passes the rest on to Hono, including browsers asking an actor URL for HTML.
 */
export function federationMiddleware<TContextData>(
  federation: Federation<TContextData>,
  contextData: (c: Context) => TContextData,
  addTerms: (document: unknown) => Promise<unknown>,
): MiddlewareHandler {
  return async (c, next) => {
    let passOn = false;
    let response: Response;
    try {
      response = await federation.fetch(c.req.raw, {
        contextData: contextData(c),
        onNotFound: () => {
          passOn = true;
          return new Response(null, { status: 404 });
        },
        onNotAcceptable: () => {
          passOn = true;
          return new Response(null, { status: 406, headers: { Vary: "Accept" } });
        },
      });
    } catch (error) {
      const answer = answerToKeyFailure(error);
      if (!answer) throw error;
      return answer;
    }
    if (passOn) return next();
    return finished(response, addTerms);
  };
}
