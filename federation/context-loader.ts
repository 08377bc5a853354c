import type { DocumentLoader, DocumentLoaderFactoryOptions } from "@fedify/vocab-runtime";
import { getDocumentLoader, preloadedContexts } from "@fedify/vocab-runtime";

/**
 * JSON-LD contexts come from local copies only. ActivityStreams and security contexts
 * (also under their http:// names, which Mastodon once wrote) are Fedify's preloaded
 * ones; extension vocabularies (litepub, Mbin, Funkwhale, GoToSocial…) resolve to an empty
 * context, so their own terms are dropped while the ActivityStreams ones are still read.
 * No peer can make a delivery wait on, or fail over, a context fetch.
 */
export function localContextLoader(options: DocumentLoaderFactoryOptions = {}): DocumentLoader {
  const preloaded = getDocumentLoader({ ...options, skipPreloadedContexts: false });
  return async (url) => {
    const secure = url.replace(/^http:\/\//, "https://");
    if (secure in preloadedContexts) return preloaded(secure);
    return { contextUrl: null, documentUrl: url, document: { "@context": {} } };
  };
}
