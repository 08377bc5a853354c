import {
  type DocumentLoaderFactory,
  type FederationOptions,
  getAuthenticatedDocumentLoader,
  type KvStore,
  kvCache,
} from "@fedify/fedify";
import { getDocumentLoader } from "@fedify/vocab-runtime";
import type { Config } from "../server/config.ts";
import type { FederationContext } from "./context.ts";
import { localContextLoader } from "./context-loader.ts";

type LoaderOptions = Pick<
  FederationOptions<FederationContext>,
  "documentLoaderFactory" | "contextLoaderFactory" | "authenticatedDocumentLoaderFactory"
>;

/**
 * How Praxis fetches from other servers. Fedify refuses a custom context loader next to its
 * own `allowPrivateAddress` and `userAgent` options, so all three loaders are built here,
 * each applying ALLOW_PRIVATE_ADDRESSES and the same user agent.
 */
export function loaders(config: Config, kv: KvStore): LoaderOptions {
  const allowPrivateAddress = config.allowPrivateAddresses;
  const userAgent = { software: "Praxis", url: config.publicUrl };
  const documents = kvCache({
    loader: getDocumentLoader({ allowPrivateAddress, userAgent }),
    kv,
    prefix: ["_praxis", "remote_document"],
  });
  const documentLoaderFactory: DocumentLoaderFactory = () => documents;
  return {
    documentLoaderFactory,
    contextLoaderFactory: () => localContextLoader({ allowPrivateAddress, userAgent }),
    authenticatedDocumentLoaderFactory: (identity) =>
      getAuthenticatedDocumentLoader(identity, { allowPrivateAddress, userAgent }),
  };
}
