import { randomUUID } from "node:crypto";
import { format } from "node:util";
import { getLogger, reset } from "@logtape/logtape";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { actorKeys } from "../../db/schema/federation.ts";
import { configureLogging } from "../../server/logging.ts";
import { addRemoteMember } from "../support/inbox-listener.ts";
import { startTestInstance, type TestInstance } from "../support/instance.ts";
import { eventually } from "../support/peer.ts";

/** The members of a JWK that make it a private key. */
const privateMembers = ["d", "p", "q", "dp", "dq", "qi"] as const;

function secretsOf(jwk: JsonWebKey): string[] {
  return privateMembers.flatMap((member) => (jwk[member] ? [jwk[member]] : []));
}

async function privateJwks(): Promise<JsonWebKey[]> {
  const rsa = await crypto.subtle.generateKey(
    {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    },
    true,
    ["sign", "verify"],
  );
  const ed25519 = (await crypto.subtle.generateKey("Ed25519", true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
  return Promise.all([rsa, ed25519].map((pair) => crypto.subtle.exportKey("jwk", pair.privateKey)));
}

describe("secrets in the log", () => {
  const printed: string[] = [];
  const output = () => printed.join("\n");

  beforeAll(async () => {
    for (const method of ["debug", "info", "warn", "error", "log"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        printed.push(format(...args));
      });
    }
    await configureLogging("info");
  });
  afterAll(async () => {
    await reset();
    vi.restoreAllMocks();
  });

  it("prints an outbox message and the errors carrying it without the private keys, and the rest of it", async () => {
    const [rsa, ed25519] = await privateJwks();
    if (!rsa || !ed25519) throw new Error("no keys");
    const inbox = "https://remote.example/users/ana/inbox";
    const activityId = "https://praxis.example/posts/42#announce";
    // Shaped like Fedify's OutboxMessage: the sender's key pairs travel with each delivery.
    const message = {
      type: "outbox",
      id: randomUUID(),
      baseUrl: "https://praxis.example",
      keys: [
        { keyId: "https://praxis.example/actors/bulletin#main-key", privateKey: rsa },
        { keyId: "https://praxis.example/actors/bulletin#key-2", privateKey: ed25519 },
      ],
      activity: {
        type: "Announce",
        id: activityId,
        actor: "https://praxis.example/actors/bulletin",
      },
      activityId,
      inbox,
      attempt: 3,
      headers: { authorization: "Bearer tok_live_5up3r", cookie: "praxis_session=s3ss10n" },
    };
    const queue = getLogger(["praxis", "federation", "queue"]);
    queue.error("A message in {queue} failed: {message}", { queue: "outbox", message });
    const carrying = Object.assign(new Error("Delivery failed"), { payload: message });
    queue.error("A message in {queue} failed: {error}", {
      queue: "outbox",
      error: new Error("Handler failed", { cause: carrying }),
    });
    // What a database error says when the insert of a retry fails: its parameters, as text.
    const failedQuery = new Error(
      `Failed query: insert into queued_messages\nparams: outbox,${JSON.stringify([message])}`,
    );
    getLogger(["fedify", "federation", "outbox"]).error("Failed: {error}", { error: failedQuery });
    getLogger(["praxis", "server"]).error("Sign-in for {username} failed", {
      username: "ana",
      password: "correct horse battery staple",
      SECRET_KEY: "an-instance-secret-of-at-least-32-characters",
    });

    const secrets = [
      ...secretsOf(rsa),
      ...secretsOf(ed25519),
      "tok_live_5up3r",
      "s3ss10n",
      "correct horse battery staple",
      "an-instance-secret-of-at-least-32-characters",
    ];
    expect(secrets).toHaveLength(11);
    for (const secret of secrets) expect(output()).not.toContain(secret);
    const keyId = "https://praxis.example/actors/bulletin#main-key";
    for (const kept of [inbox, activityId, keyId, "Delivery failed", "Handler failed", "ana"]) {
      expect(output()).toContain(kept);
    }
    expect(output()).toContain("[redacted]");
  });

  describe("a real outbox job that fails", () => {
    let praxis: TestInstance;
    beforeAll(async () => {
      praxis = await startTestInstance();
    });
    afterAll(() => praxis.close());

    it("is logged without the private keys its payload carries", async () => {
      const owner = await praxis.signUp("bulletin_owner");
      const created = await praxis.request("POST", "/api/v1/communities", {
        token: owner.token,
        body: { slug: "bulletin", name: "Bulletin", privacy: "open" },
      });
      expect(created.status).toBe(201);
      // Nothing listens on port 1: each delivery fails, and Fedify enqueues a retry.
      await addRemoteMember(praxis.deps.db, created.body.id, "127.0.0.65:1", "ana");
      // The retry cannot be stored, so the outbox job itself fails with the database's error.
      await praxis.deps.db.execute(sql`
        alter table queued_messages add constraint no_retries
        check (queue <> 'outbox' or coalesce((payload->>'attempt')::int, 0) = 0)`);
      await praxis.request("POST", "/api/v1/communities/bulletin/announcements", {
        token: owner.token,
        body: { title: "Office move", content: "We move on Monday." },
      });

      await eventually(
        async () => output(),
        (text) => text.includes('violates check constraint "no_retries"'),
        "the failed outbox job in the log",
      );
      const keys = await praxis.deps.db
        .select({ privateKey: actorKeys.privateKey })
        .from(actorKeys)
        .where(eq(actorKeys.ownerId, created.body.id));
      const secrets = keys.flatMap(({ privateKey }) => secretsOf(privateKey));
      expect(secrets.length).toBeGreaterThanOrEqual(6);
      for (const secret of secrets) expect(output()).not.toContain(secret);
      expect(output()).toContain("127.0.0.65:1/users/ana/inbox");
    });
  });
});
