import { type Actor, Object as APObject, CryptographicKey, isActor, Multikey } from "@fedify/vocab";
import { type DocumentLoader, FetchError, type RemoteDocument } from "@fedify/vocab-runtime";

type Key = CryptographicKey | Multikey;

/** Embedded keys only: a key named by URL is checked when it is itself fetched. */
const noFetching: DocumentLoader = (url) => {
  throw new FetchError(url, "not fetched while checking keys");
};

const ownerOf = (key: Key) => (key instanceof CryptographicKey ? key.ownerId : key.controllerId);

/** What a document is, read the way Fedify reads it when it looks for a key there. */
async function parse(document: unknown, contextLoader: DocumentLoader) {
  const options = { documentLoader: noFetching, contextLoader };
  try {
    return await APObject.fromJsonLd(document, options);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
  for (const kind of [CryptographicKey, Multikey]) {
    try {
      return await kind.fromJsonLd(document, options);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
    }
  }
  return null;
}

async function embeddedKeys(actor: Actor, contextLoader: DocumentLoader): Promise<Key[]> {
  const options = { documentLoader: noFetching, contextLoader, suppressError: true };
  const keys: Key[] = [];
  for await (const key of actor.getPublicKeys(options)) keys.push(key);
  for await (const key of actor.getAssertionMethods(options)) keys.push(key);
  return keys;
}

/**
 * A key counts only when the actor it names as its owner publishes it: Fedify 2.3.6 believes
 * a key's `owner` (or `controller`) as written, so any server could serve a key "owned" by
 * someone else and sign as them. Every signature Fedify checks (HTTP signatures of either
 * kind on POSTs and GETs, Linked Data signatures, Object Integrity Proofs) reads its key
 * through the document loader, so the rule is held here, on every document fetched:
 * - an actor's embedded keys must name that actor as owner and sit on its origin;
 * - a key on its own must sit on its owner's origin, and its owner's own document (fetched
 *   from there, through the same checks) must list it in `publicKey` or `assertionMethod`.
 * Throws a FetchError, which Fedify treats as a key it could not find.
 */
export async function assertKeysVouchedFor(
  fetched: RemoteDocument,
  load: DocumentLoader,
  contextLoader: DocumentLoader,
): Promise<void> {
  const refuse = (why: string) => {
    throw new FetchError(fetched.documentUrl, why);
  };
  const object = await parse(fetched.document, contextLoader);
  if (object !== null && isActor(object)) {
    for (const key of await embeddedKeys(object, contextLoader)) {
      const owner = ownerOf(key);
      if (owner && owner.href !== object.id?.href) refuse(`A key of ${object.id} names ${owner}`);
      if (key.id && key.id.origin !== object.id?.origin) refuse(`${object.id} lists ${key.id}`);
    }
    return;
  }
  if (!(object instanceof CryptographicKey || object instanceof Multikey)) return;
  const owner = ownerOf(object);
  // A key without an owner proves nothing by itself: Fedify then asks the actor for it.
  if (!owner || !object.id) return;
  if (owner.origin !== object.id.origin) refuse(`${object.id} is not on its owner's server`);
  const ownerDocument = await parse((await load(owner.href)).document, contextLoader);
  const listed =
    ownerDocument !== null &&
    isActor(ownerDocument) &&
    ownerDocument.id?.href === owner.href &&
    [...ownerDocument.publicKeyIds, ...ownerDocument.assertionMethodIds].some(
      (id) => id.href === object.id?.href,
    );
  if (!listed) refuse(`${owner} does not publish ${object.id}`);
}
