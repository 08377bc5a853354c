import type { Federation } from "@fedify/fedify";
import type { Context, MiddlewareHandler } from "hono";
import { expandPublicAddress } from "./public-address.ts";

const activityTypes = /application\/(activity|ld)\+json/;

/** A served document's last touches: terms Fedify cannot write, and Lemmy's address form. */
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
  const document = expandPublicAddress(await addTerms(await response.json()));
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return new Response(JSON.stringify(document), { status: response.status, headers });
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
    const response = await federation.fetch(c.req.raw, {
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
    if (passOn) return next();
    return finished(response, addTerms);
  };
}
