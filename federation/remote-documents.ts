import {
  createActivityPubRequest,
  type DocumentLoader,
  FetchError,
  type GetUserAgentOptions,
  type RemoteDocument,
} from "@fedify/vocab-runtime";
import { readAtMost } from "../server/limits/bounded-body.ts";
import { maxNesting, nestsDeeperThan } from "./json-nesting.ts";

/** Documents from other servers are believed only with these types (Fedify takes any). */
const activityPubType = /^application\/(activity\+json|ld\+json)\s*(;|$)/i;
const maxRedirects = 5;
/** Actors, objects and collection pages are a few KB; a collection page of 100 items ~300 KB. */
const maxDocumentBytes = 2 * 1024 * 1024;

export interface FetchPolicy {
  userAgent: GetUserAgentOptions;
  /** Whether this server talks with `host` at all (allowlist and blocks). */
  mayFetchFrom(host: string): Promise<boolean>;
  /** Signs each request (every hop of a redirect) as a local actor, for members-only objects. */
  sign?: (request: Request) => Promise<Request>;
}

const withoutFragment = (url: string | URL) => new URL(url).href.replace(/#.*$/, "");

/** The body as text, refused once it passes `maxDocumentBytes` instead of buffering it all. */
async function boundedText(url: string, response: Response): Promise<string> {
  const body = await readAtMost(response, maxDocumentBytes);
  if (!body) throw new FetchError(url, `The document is larger than ${maxDocumentBytes} bytes`);
  return body.toString("utf8");
}

/** GET following redirects by hand, so that each hop is checked against the policy (and signed). */
async function fetchFollowingRedirects(
  url: string,
  policy: FetchPolicy,
): Promise<{ response: Response; finalUrl: string }> {
  let current = url;
  for (let hop = 0; hop <= maxRedirects; hop++) {
    const target = new URL(current);
    if (target.protocol !== "https:" && target.protocol !== "http:") {
      throw new FetchError(current, "Only http and https documents are fetched");
    }
    if (!(await policy.mayFetchFrom(target.host))) {
      throw new FetchError(current, `This server does not federate with ${target.host}`);
    }
    const unsigned = createActivityPubRequest(current, { userAgent: policy.userAgent });
    const request = policy.sign ? await policy.sign(unsigned) : unsigned;
    const response = await fetch(request, { redirect: "manual" });
    const location = response.headers.get("location");
    if (response.status < 300 || response.status >= 400 || !location) {
      return { response, finalUrl: current };
    }
    await response.body?.cancel();
    current = new URL(location, current).href;
  }
  throw new FetchError(url, `More than ${maxRedirects} redirects`);
}

/**
 * Fetches a document from another server and believes it only when it is an ActivityPub or
 * JSON-LD document, within size and depth bounds, whose `id` is where it was fetched from:
 * the same origin as the last hop of any redirect, and the URL asked for or the last hop.
 * An id elsewhere on that origin is fetched once more by that id, as Mastodon does
 * (app/helpers/jsonld_helper.rb, `fetch_resource`), and must then match exactly.
 */
export function strictDocumentLoader(policy: FetchPolicy): DocumentLoader {
  async function load(url: string, refetched: boolean): Promise<RemoteDocument> {
    const { response, finalUrl: documentUrl } = await fetchFollowingRedirects(url, policy);
    if (!response.ok) {
      await response.body?.cancel();
      // Fedify clones the response it is handed (to tell a gone key from a failed fetch): the
      // one whose body was just let go would throw, and a delivery answer 500.
      const { status, statusText, headers } = response;
      const answer = new Response(null, { status, statusText, headers });
      throw new FetchError(documentUrl, `HTTP ${status}: ${documentUrl}`, answer);
    }
    const type = response.headers.get("content-type") ?? "";
    if (!activityPubType.test(type)) {
      await response.body?.cancel();
      throw new FetchError(documentUrl, `Not an ActivityPub document (${type || "no type"})`);
    }
    const text = await boundedText(documentUrl, response);
    if (nestsDeeperThan(text, maxNesting)) {
      throw new FetchError(documentUrl, `The document nests deeper than ${maxNesting} levels`);
    }
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      if (error instanceof FetchError) throw error;
      throw new FetchError(documentUrl, "The document is not JSON");
    }
    if (document === null || typeof document !== "object" || Array.isArray(document)) {
      throw new FetchError(documentUrl, "The document is not a JSON object");
    }
    const { id: plainId, "@id": expandedId } = document as { id?: unknown; "@id"?: unknown };
    const claimed = plainId ?? expandedId;
    if (typeof claimed !== "string" || !URL.canParse(claimed)) {
      throw new FetchError(documentUrl, "The document has no id");
    }
    const id = withoutFragment(claimed);
    if (new URL(id).origin !== new URL(documentUrl).origin) {
      throw new FetchError(documentUrl, `The document claims the id ${claimed} of another server`);
    }
    if (id !== withoutFragment(url) && id !== withoutFragment(documentUrl)) {
      if (refetched) throw new FetchError(documentUrl, `The document claims the id ${claimed}`);
      return load(id, true);
    }
    return { contextUrl: null, documentUrl, document };
  }
  return (url) => load(url, false);
}
