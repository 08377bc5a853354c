import { decodeJwt, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestInstance, type TestInstance } from "../support/instance.ts";

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** The session token check: tokens signed as sessions open them, and nothing else does. */
describe("session tokens", () => {
  let praxis: TestInstance;
  let reader: Person;
  let other: Person;
  const me = (token: string) => praxis.request("GET", "/api/v1/me", { token });
  const now = () => Math.floor(Date.now() / 1000);
  /** A token for the reader's session signed by jose, as every session token was. */
  const signedByJose = ({
    audience = "session",
    expires = now() + 3600,
    secret = praxis.deps.config.secretKey,
  } = {}) => {
    const { sub, sid } = decodeJwt(reader.token);
    return new SignJWT({ sid })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(sub ?? "")
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(expires)
      .sign(new TextEncoder().encode(secret));
  };

  beforeAll(async () => {
    praxis = await startTestInstance();
    reader = await praxis.signUp("reader");
    other = await praxis.signUp("other");
  });
  afterAll(() => praxis.close());

  it("opens the session a token names, whether signed now or by jose as sessions were", async () => {
    expect((await me(reader.token)).body.username).toBe("reader");
    expect((await me(await signedByJose())).body.username).toBe("reader");
  });

  it("refuses a token whose claims were changed, or whose signature is not ours", async () => {
    const [header, , signature] = reader.token.split(".");
    const claims = decodeJwt(reader.token);
    const forged = [
      `${header}.${encode({ ...claims, sub: other.id })}.${signature}`,
      `${encode({ alg: "none" })}.${encode(claims)}.`,
      `${header}.${encode(claims)}.${"A".repeat(43)}`,
      await signedByJose({ secret: "someone else's secret" }),
    ];
    for (const token of forged) expect((await me(token)).status, token).toBe(401);
  });

  it("refuses a session token that has expired or was made for something else", async () => {
    expect((await me(await signedByJose({ expires: now() - 5 }))).status).toBe(401);
    expect((await me(await signedByJose({ audience: "download" }))).status).toBe(401);
  });
});
