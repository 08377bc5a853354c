import { signJsonLd, signObject, signRequest, verifyObject, verifyRequest } from "@fedify/fedify";
import { Activity, Announce } from "@fedify/vocab";
import { getDocumentLoader } from "@fedify/vocab-runtime";
import type { Sql } from "postgres";
import { generateRsaKeys } from "./crypto.ts";

const documentLoader = getDocumentLoader({ allowPrivateAddress: true });

/** As Fedify's inbox does: a verified integrity proof suffices, else the HTTP signature. */
function verifier() {
  const keys = new Map<string, unknown>();
  const keyCache = {
    get: async (keyId: URL) => keys.get(keyId.href) as never,
    set: async (keyId: URL, key: unknown) => void keys.set(keyId.href, key),
  };
  return async (request: Request): Promise<Activity> => {
    const json = await request.clone().json();
    if (json.proof) {
      const verified = await verifyObject(Activity, json, { documentLoader, keyCache });
      if (!verified) throw new Error("a proof did not verify");
      return verified;
    }
    const key = await verifyRequest(request.clone(), { documentLoader, keyCache });
    if (!key) throw new Error("a signature did not verify");
    return Activity.fromJsonLd(json, { documentLoader });
  };
}

/** Runs `once` over the requests one after another (the first `warm` untimed): per second. */
async function rate(requests: Request[], warm: number, once: (request: Request) => Promise<void>) {
  for (const request of requests.slice(0, warm)) await once(request);
  const timed = requests.slice(warm);
  const started = performance.now();
  for (const request of timed) await once(request);
  return timed.length / ((performance.now() - started) / 1000);
}

/** Fedify's own ceiling: verifying each activity and parsing it, nothing more. */
export function verifyAndParseRate(requests: Request[], warm: number): Promise<number> {
  const verify = verifier();
  return rate(requests, warm, async (request) => void (await verify(request)));
}

/**
 * The least a server must do for each reply to a group, in one process with nothing between
 * the steps: verify and parse it, store it (one prepared insert), wrap it in the group's
 * Announce signed as Fedify signs one (an Ed25519 proof, then an RSA Linked Data Signature
 * of the compacted document), and sign one delivery of it (draft-cavage, RSA-2048).
 */
export async function pipelineRate(
  requests: Request[],
  warm: number,
  sql: Sql,
  group: string,
): Promise<number> {
  const verify = verifier();
  const rsa = await generateRsaKeys();
  // Fedify signs only with keys that can be exported, as an actor's are.
  const ed25519 = (await crypto.subtle.generateKey("Ed25519", true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
  const rsaKeyId = new URL(`${group}#main-key`);
  const ed25519KeyId = new URL(`${group}#ed25519-key`);
  await sql`create temporary table pipeline_replies (
    uri text primary key, author text not null, content text not null, published timestamptz)`;
  let n = 0;
  return rate(requests, warm, async (request) => {
    const activity = await verify(request);
    const note = await activity.getObject({ documentLoader });
    await sql`insert into pipeline_replies values (${note?.id?.href ?? ""},
      ${activity.actorId?.href ?? ""}, ${String(note?.content ?? "")},
      ${note?.published?.toString() ?? null})`.execute();
    const announce = new Announce({
      id: new URL(`${group}/announces/${n++}`),
      actor: new URL(group),
      object: activity,
      to: new URL("https://www.w3.org/ns/activitystreams#Public"),
      cc: new URL(`${group}/followers`),
    });
    const proved = await signObject(announce, ed25519.privateKey, ed25519KeyId, {
      contextLoader: documentLoader,
    });
    const compacted = await proved.toJsonLd({ format: "compact", contextLoader: documentLoader });
    const signed = await signJsonLd(compacted, rsa.privateKey, rsaKeyId, {
      contextLoader: documentLoader,
    });
    const delivery = new Request("http://partner.example/inbox", {
      method: "POST",
      headers: { "content-type": "application/activity+json" },
      body: JSON.stringify(signed),
    });
    await signRequest(delivery, rsa.privateKey, rsaKeyId, {
      spec: "draft-cavage-http-signatures-12",
    });
  });
}
