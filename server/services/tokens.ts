import { errors, jwtVerify, SignJWT } from "jose";

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

export async function verifyToken(
  secret: string,
  purpose: TokenPurpose,
  token: string,
): Promise<VerifiedToken> {
  try {
    const { payload } = await jwtVerify(token, await keyOf(secret), {
      audience: purpose,
      algorithms: ["HS256"],
    });
    if (!payload.sub) return { status: "invalid" };
    return {
      status: "valid",
      sub: payload.sub,
      ...(typeof payload.sid === "string" ? { sid: payload.sid } : {}),
    };
  } catch (error) {
    if (error instanceof errors.JWTExpired && typeof error.payload.sub === "string") {
      const { sub, sid } = error.payload;
      return { status: "expired", sub, ...(typeof sid === "string" ? { sid } : {}) };
    }
    return { status: "invalid" };
  }
}
