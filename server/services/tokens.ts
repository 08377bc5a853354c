import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from "node:crypto";
import { SignJWT } from "jose";

export type TokenPurpose =
  | "session"
  | "invitation"
  | "calendar"
  | "unsubscribe"
  | "download"
  | "password_reset"
  | "email_change";

const keys = new Map<string, Promise<CryptoKey>>();

/** A secret's HMAC key, imported once: importing it for every request cost more than the check. */
function keyOf(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    );
    keys.set(secret, key);
  }
  return key;
}

/** Signs a compact JWT that is only valid for `purpose` (its audience). */
export async function signToken(
  secret: string,
  purpose: TokenPurpose,
  claims: { sub: string; sid?: string },
  expiresAt: Date,
): Promise<string> {
  return new SignJWT({ ...(claims.sid ? { sid: claims.sid } : {}) })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(claims.sub)
    .setAudience(purpose)
    .setIssuedAt()
    .setExpirationTime(expiresAt)
    .sign(await keyOf(secret));
}

export type VerifiedToken =
  | { status: "valid"; sub: string; sid?: string }
  | { status: "expired"; sub: string; sid?: string }
  | { status: "invalid" };

const secretKeys = new Map<string, KeyObject>();

function secretKeyOf(secret: string): KeyObject {
  let key = secretKeys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, "utf8"));
    secretKeys.set(secret, key);
  }
  return key;
}

type Claims = Record<string, unknown>;

const decodeJson = (part: string): unknown => {
  try {
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
};
const isObject = (value: unknown): value is Claims =>
  typeof value === "object" && value !== null && !Array.isArray(value);
/** A 32-byte HMAC-SHA256 in unpadded base64url. */
const hs256Signature = /^[A-Za-z0-9_-]{43}$/;

/**
 * The claims of a compact HS256 JWT whose signature is ours, else undefined. Synchronous
 * through node:crypto: WebCrypto's HMAC (as jose verifies) is asynchronous and cost more than
 * the session look-up it guards. As jose does, only `alg: HS256` is accepted and a header
 * with `crit` is refused; the signature is compared in constant time.
 */
function verifiedClaims(secret: string, token: string): Claims | undefined {
  const [header, payload, signature, ...rest] = token.split(".");
  if (header === undefined || payload === undefined || signature === undefined) return;
  if (rest.length > 0 || !hs256Signature.test(signature)) return;
  const expected = createHmac("sha256", secretKeyOf(secret))
    .update(`${header}.${payload}`)
    .digest();
  if (!timingSafeEqual(Buffer.from(signature, "base64url"), expected)) return;
  const protectedHeader = decodeJson(header);
  if (!isObject(protectedHeader) || protectedHeader.alg !== "HS256" || "crit" in protectedHeader) {
    return;
  }
  const claims = decodeJson(payload);
  return isObject(claims) ? claims : undefined;
}

const isNumericDate = (value: unknown) => value === undefined || typeof value === "number";
const hasAudience = (aud: unknown, purpose: TokenPurpose) =>
  aud === purpose || (Array.isArray(aud) && aud.includes(purpose));

/**
 * Whether a token we signed for `purpose` is valid, expired (with whom it named, so that
 * an expired link can say so), or invalid: the claim checks jose's jwtVerify makes.
 */
export function verifyToken(secret: string, purpose: TokenPurpose, token: string): VerifiedToken {
  const claims = verifiedClaims(secret, token);
  if (!claims || !hasAudience(claims.aud, purpose)) return { status: "invalid" };
  const { sub, sid, exp, nbf, iat } = claims;
  if (![exp, nbf, iat].every(isNumericDate)) return { status: "invalid" };
  const now = Math.floor(Date.now() / 1000);
  if (typeof nbf === "number" && nbf > now) return { status: "invalid" };
  if (typeof sub !== "string" || !sub) return { status: "invalid" };
  const named = { sub, ...(typeof sid === "string" ? { sid } : {}) };
  if (typeof exp === "number" && exp <= now) return { status: "expired", ...named };
  return { status: "valid", ...named };
}
