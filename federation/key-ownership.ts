import { type Actor, Object as APObject, CryptographicKey, isActor, Multikey } from "@fedify/vocab";
import {
  type DocumentLoader,
  exportSpki,
  FetchError,
  type RemoteDocument,
} from "@fedify/vocab-runtime";

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

const security = "https://w3id.org/security#";

/**
 * The actor's document with each Ed25519 key of its `assertionMethod` also offered as a
 * `publicKey`, as SPKI PEM. Fedify 2.3.6 looks the key of an HTTP signature up among
 * `publicKey`s only, while Mitra signs RFC 9421 with the Ed25519 Multikey it lists in
 * `assertionMethod` (mitra_activitypub/src/actors/builders.rs) and itself takes any key an
 * actor lists for HTTP signatures (mitra_activitypub/src/authentication.rs, get_signer_key).
 * Only keys the actor controls are offered, so the owner rule above still decides. The terms
 * are written in full, so they hold whatever context the document has.
 */
export async function withAssertionKeysAsPublicKeys(
  fetched: RemoteDocument,
  contextLoader: DocumentLoader,
): Promise<RemoteDocument> {
  const actor = await parse(fetched.document, contextLoader);
  if (actor === null || !isActor(actor) || !actor.id) return fetched;
  const owner = actor.id.href;
  const listed = new Set(actor.publicKeyIds.map((id) => id.href));
  const offered = [];
  for (const key of await embeddedKeys(actor, contextLoader)) {
    if (!(key instanceof Multikey) || !key.id || listed.has(key.id.href)) continue;
    if (key.controllerId?.href !== owner || key.publicKey?.algorithm.name !== "Ed25519") continue;
    offered.push({
      "@id": key.id.href,
      "@type": `${security}Key`,
      [`${security}owner`]: { "@id": owner },
      [`${security}publicKeyPem`]: await exportSpki(key.publicKey),
    });
  }
  if (offered.length === 0) return fetched;
  const document = { ...(fetched.document as object), [`${security}publicKey`]: offered };
  return { ...fetched, document };
}
