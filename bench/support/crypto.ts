import { rateOf } from "./figures.ts";

const rsa = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

/** A signing string as an HTTP signature covers it: request target, host, date, digest. */
const signingString = new TextEncoder().encode(
  [
    "(request-target): post /inbox",
    "host: partner.example",
    `date: ${new Date().toUTCString()}`,
    `digest: SHA-256=${"x".repeat(44)}`,
    "content-type: application/activity+json",
  ].join("\n"),
);

/** An RSA-2048 key pair as actors have them; Fedify signs only with keys it could export. */
export const generateRsaKeys = () =>
  crypto.subtle.generateKey(
    { ...rsa, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ["sign", "verify"],
  );

/** Raw RSA-2048 signatures and verifications per second on one core, as Fedify makes them. */
export async function rsaRates(): Promise<{ sign: number; verify: number }> {
  const keys = await generateRsaKeys();
  const signature = await crypto.subtle.sign(rsa, keys.privateKey, signingString);
  return {
    sign: await rateOf(() => crypto.subtle.sign(rsa, keys.privateKey, signingString)),
    verify: await rateOf(() => crypto.subtle.verify(rsa, keys.publicKey, signature, signingString)),
  };
}
