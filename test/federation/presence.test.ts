import { createPublicKey } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actorKeys } from "../../db/schema/federation.ts";
import { startTestInstance, type TestInstance } from "../support/instance.ts";

const activityJson = { accept: "application/activity+json" };
const password = "a long enough password";

function webfinger(praxis: TestInstance, name: string, headers: Record<string, string> = {}) {
  return praxis.request(
    "GET",
    `/.well-known/webfinger?resource=${encodeURIComponent(`acct:${name}@praxis.test`)}`,
    { headers },
  );
}

function actor(praxis: TestInstance, name: string, headers: Record<string, string> = {}) {
  return praxis.request("GET", `/actors/${name}`, { headers: { ...activityJson, ...headers } });
}

/** The session cookie a browser would keep after signing in. */
async function sessionCookie(praxis: TestInstance, login: string): Promise<string> {
  const session = await praxis.request("POST", "/api/v1/sessions", { body: { login, password } });
  expect(session.status).toBe(200);
  const cookie = session.headers.get("set-cookie")?.split(";")[0];
  expect(cookie).toBeTruthy();
  return cookie as string;
}

function selfLink(body: { links?: { rel: string; type?: string; href?: string }[] }) {
  return body.links?.find(
    (link) => link.rel === "self" && link.type === "application/activity+json",
  )?.href;
}

function asArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

function base58btc(bytes: Uint8Array): string {
  let number = BigInt(`0x${Buffer.from(bytes).toString("hex") || "0"}`);
  let text = "";
  while (number > 0n) {
    text = base58Alphabet[Number(number % 58n)] + text;
    number /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    text = `1${text}`;
  }
  return text;
}

/** The Multikey form (multibase base58btc, multicodec ed25519-pub) of an Ed25519 public JWK. */
function ed25519Multibase(jwk: JsonWebKey): string {
  const raw = Buffer.from(jwk.x as string, "base64url");
  return `z${base58btc(Buffer.concat([Buffer.from([0xed, 0x01]), raw]))}`;
}

describe("WebFinger, actors and keys", () => {
  let praxis: TestInstance;
  beforeAll(async () => {
    praxis = await startTestInstance();
  });
  afterAll(() => praxis.close());

  it("resolves an account's acct: handle to its actor URL", async () => {
    await praxis.signUp("wf_person");
    const found = await webfinger(praxis, "wf_person");
    expect(found.status).toBe(200);
    expect(found.body.subject).toBe("acct:wf_person@praxis.test");
    expect(selfLink(found.body)).toBe("http://praxis.test/actors/wf_person");
  });

  it("resolves a community's acct: handle to its actor URL", async () => {
    const owner = await praxis.signUp("wf_owner");
    const created = await praxis.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug: "wf-circle", name: "WebFinger circle", privacy: "open" },
    });
    expect(created.status).toBe(201);
    const found = await webfinger(praxis, "wf-circle");
    expect(found.status).toBe(200);
    expect(selfLink(found.body)).toBe("http://praxis.test/actors/wf-circle");
  });

  it("answers 404 for a name nobody holds", async () => {
    expect((await webfinger(praxis, "nobody_here")).status).toBe(404);
    expect((await actor(praxis, "nobody_here")).status).toBe(404);
  });

  it("keeps a hidden community out of WebFinger for outsiders but finds it for its members", async () => {
    const owner = await praxis.signUp("hidden_wf_owner");
    await praxis.signUp("hidden_wf_outsider");
    const created = await praxis.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug: "hidden-wf", name: "Hidden", privacy: "private", hidden: true },
    });
    expect(created.status).toBe(201);

    expect((await webfinger(praxis, "hidden-wf")).status).toBe(404);
    const outsider = await sessionCookie(praxis, "hidden_wf_outsider");
    expect((await webfinger(praxis, "hidden-wf", { cookie: outsider })).status).toBe(404);

    const member = await sessionCookie(praxis, "hidden_wf_owner");
    const found = await webfinger(praxis, "hidden-wf", { cookie: member });
    expect(found.status).toBe(200);
    expect(selfLink(found.body)).toBe("http://praxis.test/actors/hidden-wf");
  });

  it("serves an account as a Person that approves followers automatically", async () => {
    await praxis.signUp("actor_person", { displayName: "Actor Person" });
    const person = await actor(praxis, "actor_person");
    expect(person.status).toBe(200);
    expect(person.headers.get("content-type")).toMatch(/application\/(activity|ld)\+json/);
    expect(person.body).toMatchObject({
      id: "http://praxis.test/actors/actor_person",
      type: "Person",
      preferredUsername: "actor_person",
      name: "Actor Person",
      manuallyApprovesFollowers: false,
      discoverable: true,
    });
    expect(person.body.inbox).toBe("http://praxis.test/actors/actor_person/inbox");
  });

  it("serves communities as Groups that approve followers manually except when open", async () => {
    const owner = await praxis.signUp("group_owner");
    const levels = ["open", "public", "semi_private", "private"] as const;
    for (const privacy of levels) {
      const slug = `group-${privacy.replace("_", "-")}`;
      const created = await praxis.request("POST", "/api/v1/communities", {
        token: owner.token,
        body: { slug, name: `Group ${privacy}`, privacy },
      });
      expect(created.status).toBe(201);
      const group = await actor(praxis, slug);
      expect(group.status).toBe(200);
      expect(group.body).toMatchObject({
        id: `http://praxis.test/actors/${slug}`,
        type: "Group",
        preferredUsername: slug,
        name: `Group ${privacy}`,
        manuallyApprovesFollowers: privacy !== "open",
        discoverable: true,
      });
    }
  });

  it("marks a hidden community undiscoverable and serves it only to its members", async () => {
    const owner = await praxis.signUp("hidden_actor_owner");
    const created = await praxis.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug: "hidden-actor", name: "Hidden actor", privacy: "semi_private", hidden: true },
    });
    expect(created.status).toBe(201);
    expect((await actor(praxis, "hidden-actor")).status).toBe(404);

    const member = await sessionCookie(praxis, "hidden_actor_owner");
    const group = await actor(praxis, "hidden-actor", { cookie: member });
    expect(group.status).toBe(200);
    expect(group.body).toMatchObject({
      type: "Group",
      discoverable: false,
      manuallyApprovesFollowers: true,
    });
  });

  it("publishes a stored 2048-bit RSA key and an Ed25519 Multikey that stay the same", async () => {
    const person = await praxis.signUp("key_holder");
    const first = await actor(praxis, "key_holder");
    expect(first.status).toBe(200);

    const publicKey = first.body.publicKey;
    expect(publicKey.owner).toBe("http://praxis.test/actors/key_holder");
    const rsa = createPublicKey(publicKey.publicKeyPem);
    expect(rsa.asymmetricKeyType).toBe("rsa");
    expect(rsa.asymmetricKeyDetails?.modulusLength).toBe(2048);

    const multikeys = asArray<{ type: string; controller: string; publicKeyMultibase: string }>(
      first.body.assertionMethod,
    );
    const ed25519 = multikeys.find((key) => key.publicKeyMultibase.startsWith("z6Mk"));
    expect(ed25519).toMatchObject({
      type: "Multikey",
      controller: "http://praxis.test/actors/key_holder",
    });

    const stored = await praxis.deps.db
      .select()
      .from(actorKeys)
      .where(eq(actorKeys.ownerId, person.id));
    expect(stored.map((row) => row.algorithm).sort()).toEqual(["Ed25519", "RSASSA-PKCS1-v1_5"]);
    const storedRsa = stored.find((row) => row.algorithm === "RSASSA-PKCS1-v1_5");
    const storedEd = stored.find((row) => row.algorithm === "Ed25519");
    expect(
      createPublicKey({ key: storedRsa?.publicKey as never, format: "jwk" }).export({
        type: "spki",
        format: "pem",
      }),
    ).toBe(rsa.export({ type: "spki", format: "pem" }));
    expect(ed25519?.publicKeyMultibase).toBe(ed25519Multibase(storedEd?.publicKey ?? {}));

    const second = await actor(praxis, "key_holder");
    expect(second.body.publicKey.publicKeyPem).toBe(publicKey.publicKeyPem);
    expect(second.body.assertionMethod).toEqual(first.body.assertionMethod);
  });

  it("gives a community its own keys, distinct from its owner's", async () => {
    const owner = await praxis.signUp("keyed_owner");
    await praxis.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug: "keyed-group", name: "Keyed", privacy: "public" },
    });
    const group = await actor(praxis, "keyed-group");
    const person = await actor(praxis, "keyed_owner");
    expect(group.status).toBe(200);
    const groupKey = createPublicKey(group.body.publicKey.publicKeyPem);
    expect(groupKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(group.body.publicKey.publicKeyPem).not.toBe(person.body.publicKey.publicKeyPem);
    expect((await actor(praxis, "keyed-group")).body.publicKey.publicKeyPem).toBe(
      group.body.publicKey.publicKeyPem,
    );
  });
});

describe("NodeInfo and accounts awaiting approval", () => {
  let praxis: TestInstance;
  beforeAll(async () => {
    praxis = await startTestInstance({ REGISTRATION_MODE: "approval" });
  });
  afterAll(() => praxis.close());

  it("serves the server itself as an Application with keys of its own, a name nobody can take", async () => {
    const answer = await actor(praxis, "instance");
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      type: "Application",
      id: "http://praxis.test/actors/instance",
      preferredUsername: "praxis.test",
    });
    expect(answer.body.publicKey.publicKeyPem).toContain("BEGIN PUBLIC KEY");
    const taken = await praxis.request("POST", "/api/v1/accounts", {
      body: { username: "instance", email: "instance@example.org", password },
    });
    expect(taken.status).toBe(409);
  });

  it("points /.well-known/nodeinfo at the NodeInfo 2.1 document", async () => {
    const discovery = await praxis.request("GET", "/.well-known/nodeinfo");
    expect(discovery.status).toBe(200);
    expect(discovery.body.links).toContainEqual(
      expect.objectContaining({
        rel: "http://nodeinfo.diaspora.software/ns/schema/2.1",
        href: "http://praxis.test/nodeinfo/2.1",
      }),
    );
  });

  it("gives a pending account neither an actor nor a WebFinger entry", async () => {
    await praxis.signUp("root_admin");
    const pending = await praxis.signUp("waiting_person");
    expect(pending.token).toBeUndefined();
    expect((await actor(praxis, "waiting_person")).status).toBe(404);
    expect((await webfinger(praxis, "waiting_person")).status).toBe(404);
    expect((await actor(praxis, "root_admin")).status).toBe(200);
  });

  it("counts active accounts and listed communities, leaving out pending and hidden ones", async () => {
    const admin = await praxis.request("POST", "/api/v1/sessions", {
      body: { login: "root_admin", password },
    });
    const token = admin.body.token as string;
    for (const [slug, hidden] of [
      ["listed-one", false],
      ["listed-two", false],
      ["unlisted", true],
    ] as const) {
      const created = await praxis.request("POST", "/api/v1/communities", {
        token,
        body: { slug, name: slug, privacy: "public", hidden },
      });
      expect(created.status).toBe(201);
    }

    const before = await praxis.request("GET", "/nodeinfo/2.1");
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      version: "2.1",
      software: { name: "praxis" },
      protocols: ["activitypub"],
      openRegistrations: false,
      usage: { users: { total: 1 } },
      metadata: { communities: 2 },
    });

    const queue = await praxis.request("GET", "/api/v1/admin/accounts?state=pending", { token });
    const waiting = queue.body.items.find(
      (account: { username: string }) => account.username === "waiting_person",
    );
    const approved = await praxis.request("POST", `/api/v1/admin/accounts/${waiting.id}/approve`, {
      token,
    });
    expect(approved.status).toBe(200);
    const after = await praxis.request("GET", "/nodeinfo/2.1");
    expect(after.body.usage.users.total).toBe(2);
    expect((await actor(praxis, "waiting_person")).body.type).toBe("Person");
  });
});
