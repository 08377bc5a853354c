import "./node-compat.ts";
import { exportJwk, importJwk } from "@fedify/fedify";
import { eq } from "drizzle-orm";
import type { Executor } from "../db/index.ts";
import { actorKeys, type KeyAlgorithm } from "../db/schema/federation.ts";

// RSA-2048 rather than Fedify's 4096-bit default: as widely accepted, far cheaper to sign.
const keyParameters: Record<
  KeyAlgorithm,
  RsaHashedKeyGenParams | EcKeyGenParams | { name: "Ed25519" }
> = {
  "RSASSA-PKCS1-v1_5": {
    name: "RSASSA-PKCS1-v1_5",
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: "SHA-256",
  },
  Ed25519: { name: "Ed25519" },
};

async function generate(algorithm: KeyAlgorithm): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(keyParameters[algorithm], true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
}

/**
 * Key pairs already imported, by their public key: every inbox request and every fan-out
 * asks for the actor's keys, and importing a JWK each time cost more than signing with it.
 */
const imported = new Map<string, Promise<CryptoKeyPair>>();
const importedLimit = 1_000;

function importPair(row: typeof actorKeys.$inferSelect): Promise<CryptoKeyPair> {
  const id = JSON.stringify(row.publicKey);
  let pair = imported.get(id);
  if (!pair) {
    pair = Promise.all([
      importJwk(row.publicKey, "public"),
      importJwk(row.privateKey, "private"),
    ]).then(([publicKey, privateKey]) => ({ publicKey, privateKey }));
    if (imported.size >= importedLimit) imported.delete(imported.keys().next().value as string);
    imported.set(id, pair);
  }
  return pair;
}

/**
 * The actor's RSA and Ed25519 key pairs, created on first use. Concurrent first uses
 * race on the primary key and all read back the same winner.
 */
export async function actorKeyPairs(db: Executor, ownerId: string): Promise<CryptoKeyPair[]> {
  const stored = await db.select().from(actorKeys).where(eq(actorKeys.ownerId, ownerId));
  const missing = (["RSASSA-PKCS1-v1_5", "Ed25519"] as const).filter(
    (algorithm) => !stored.some((row) => row.algorithm === algorithm),
  );
  if (missing.length === 0) return Promise.all(sortedRows(stored).map(importPair));
  for (const algorithm of missing) {
    const pair = await generate(algorithm);
    await db
      .insert(actorKeys)
      .values({
        ownerId,
        algorithm,
        publicKey: await exportJwk(pair.publicKey),
        privateKey: await exportJwk(pair.privateKey),
      })
      .onConflictDoNothing();
  }
  return actorKeyPairs(db, ownerId);
}

/** RSA first: peers that only understand one key take the first. */
function sortedRows(rows: (typeof actorKeys.$inferSelect)[]) {
  return [...rows].sort((a, b) =>
    a.algorithm === "RSASSA-PKCS1-v1_5" ? -1 : b.algorithm === "RSASSA-PKCS1-v1_5" ? 1 : 0,
  );
}
