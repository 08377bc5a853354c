import {
  type DocumentLoaderFactory,
  type FederationOptions,
  type KvStore,
  kvCache,
  signRequest,
} from "@fedify/fedify";
import type { DocumentLoader } from "@fedify/vocab-runtime";
import { getLogger } from "@logtape/logtape";
import type { Deps } from "../server/deps.ts";
import { mayFederateWith } from "../server/services/domains.ts";
import { actorUrl } from "../server/urls.ts";
import { instanceIdentifier, instanceKeyPairs } from "./actors.ts";
import type { FederationContext } from "./context.ts";
import { localContextLoader } from "./context-loader.ts";
import { assertKeysVouchedFor, withAssertionKeysAsPublicKeys } from "./key-ownership.ts";
import { type FetchPolicy, strictDocumentLoader } from "./remote-documents.ts";

type LoaderOptions = Pick<
  FederationOptions<FederationContext>,
  "documentLoaderFactory" | "contextLoaderFactory" | "authenticatedDocumentLoaderFactory"
>;

type Identity = { keyId: URL; privateKey: CryptoKey };

const logger = getLogger(["praxis", "federation", "documents"]);

const signingAs =
  ({ keyId, privateKey }: Identity) =>
  (request: Request) =>
    signRequest(request, privateKey, keyId, { spec: "draft-cavage-http-signatures-12" });

/**
 * How Praxis fetches from other servers, for Fedify and for itself: every document passes
 * the strict checks of remote-documents.ts and the key rule of key-ownership.ts, and comes
 * only from servers this one federates with (checked again on every use of a cached copy,
 * so a block takes effect at once). Fedify refuses a custom context loader beside its own
 * `allowPrivateAddress` option; the private-address rule is held where connections are made
 * (outgoing-requests.ts), and contexts are never fetched at all.
 */
export function loaders(deps: Deps, kv: KvStore): LoaderOptions {
  const { config } = deps;
  const userAgent = { software: "Praxis", url: config.publicUrl };
  const contextLoader = localContextLoader({ userAgent });
  const mayFetchFrom = async (host: string) =>
    host === config.publicUrl.host || mayFederateWith(deps, host);

  const instanceIdentity = async (): Promise<Identity> => {
    const [pair] = await instanceKeyPairs(deps.db);
    if (!pair) throw new Error("the instance has no key pair");
    const keyId = new URL(`${actorUrl(config.publicUrl, instanceIdentifier)}#main-key`);
    return { keyId, privateKey: pair.privateKey };
  };

  const allowedHere =
    (load: DocumentLoader): DocumentLoader =>
    async (url, options) => {
      if (!(await mayFetchFrom(new URL(url).host))) {
        throw new Error(`This server does not federate with ${new URL(url).host}`);
      }
      return load(url, options);
    };

  /** Owners of keys are asked for as the instance: servers in secure mode sign-gate actors. */
  const owners: DocumentLoader = (url) => signedByInstance(url);

  const believed = (policy: FetchPolicy): DocumentLoader => {
    const fetchStrictly = strictDocumentLoader(policy);
    return async (url) => {
      try {
        const fetched = await fetchStrictly(url);
        await assertKeysVouchedFor(fetched, owners, contextLoader);
        return await withAssertionKeysAsPublicKeys(fetched, contextLoader);
      } catch (error) {
        logger.info("Did not take {url}: {reason}", { url, reason: String(error) });
        throw error;
      }
    };
  };

  // Even for no one in particular, fetches are signed as the server: GoToSocial and other
  // secure-mode servers answer an unsigned fetch of an actor or key with 401.
  const asInstance = async (request: Request) => signingAs(await instanceIdentity())(request);
  const documents = allowedHere(
    kvCache({
      loader: believed({ userAgent, mayFetchFrom, sign: asInstance }),
      kv,
      prefix: ["_praxis", "believed_document"],
    }),
  );
  const authenticated = (identity: Identity) =>
    allowedHere(believed({ userAgent, mayFetchFrom, sign: signingAs(identity) }));
  const signedByInstance: DocumentLoader = async (url, options) =>
    authenticated(await instanceIdentity())(url, options);

  const documentLoaderFactory: DocumentLoaderFactory = () => documents;
  return {
    documentLoaderFactory,
    contextLoaderFactory: () => contextLoader,
    authenticatedDocumentLoaderFactory: authenticated,
  };
}
