import { createServer, type Server } from "node:http";
import { signObject, signRequest } from "@fedify/fedify";
import { Activity } from "@fedify/vocab";
import { exportMultibaseKey } from "@fedify/vocab-runtime";
import { exportSPKI } from "jose";
import { freePort } from "../../db/embedded.ts";
import { generateRsaKeys } from "./crypto.ts";

export interface RemoteActor {
  id: string;
  /**
   * RSA-2048, signing HTTP requests the draft-cavage way Mastodon does; or Ed25519, signing
   * each activity with an Object Integrity Proof (FEP-8b32) instead, which Fedify verifies
   * without asking for an HTTP signature (it cannot make RFC 9421 ones with Ed25519).
   */
  key: { type: "rsa" | "ed25519"; id: URL; privateKey: CryptoKey };
}

/**
 * People on a server we do not run, half with RSA-2048 keys and half with Ed25519: their
 * actor documents are served on loopback, and their shared inbox counts what arrives.
 */
export interface RemoteServer {
  origin: string;
  host: string;
  actors: RemoteActor[];
  /** Activities delivered to the shared inbox, by type. */
  received: Map<string, number>;
  sign(actor: RemoteActor, inbox: string, activity: unknown): Promise<Request>;
  close(): Promise<void>;
}

export async function startRemoteServer(address: string, count: number): Promise<RemoteServer> {
  const port = await freePort(address);
  const origin = `http://${address}:${port}`;
  const documents = new Map<string, string>();
  const received = new Map<string, number>();
  const actors: RemoteActor[] = [];
  for (let n = 0; n < count; n++) {
    const id = `${origin}/users/sender${n}`;
    const type = n % 2 === 0 ? "rsa" : "ed25519";
    const keys =
      type === "rsa"
        ? await generateRsaKeys()
        : ((await crypto.subtle.generateKey("Ed25519", true, ["sign", "verify"])) as CryptoKeyPair);
    const keyId = new URL(`${id}#${type}-key`);
    const publicKey =
      type === "rsa"
        ? {
            publicKey: {
              id: keyId.href,
              owner: id,
              publicKeyPem: await exportSPKI(keys.publicKey),
            },
          }
        : {
            assertionMethod: [
              {
                id: keyId.href,
                type: "Multikey",
                controller: id,
                publicKeyMultibase: await exportMultibaseKey(keys.publicKey),
              },
            ],
          };
    documents.set(
      new URL(id).pathname,
      JSON.stringify({
        "@context": [
          "https://www.w3.org/ns/activitystreams",
          "https://w3id.org/security/v1",
          "https://www.w3.org/ns/did/v1",
          "https://w3id.org/security/multikey/v1",
        ],
        id,
        type: "Person",
        preferredUsername: `sender${n}`,
        name: `Sender ${n}`,
        inbox: `${id}/inbox`,
        endpoints: { sharedInbox: `${origin}/inbox` },
        ...publicKey,
      }),
    );
    actors.push({ id, key: { type, id: keyId, privateKey: keys.privateKey } });
  }
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      if (request.method === "POST") {
        const type = String((JSON.parse(body) as { type?: unknown }).type);
        received.set(type, (received.get(type) ?? 0) + 1);
        response.writeHead(202).end();
        return;
      }
      const document = documents.get(new URL(request.url ?? "/", origin).pathname);
      if (!document) return void response.writeHead(404).end();
      response.writeHead(200, { "content-type": "application/activity+json" }).end(document);
    });
  });
  await new Promise<void>((done) => server.listen(port, address, done));
  return {
    origin,
    host: `${address}:${port}`,
    actors,
    received,
    async sign({ key }, inbox, activity) {
      const body =
        key.type === "ed25519"
          ? await (
              await signObject(await Activity.fromJsonLd(activity), key.privateKey, key.id)
            ).toJsonLd({ format: "compact" })
          : activity;
      const request = new Request(inbox, {
        method: "POST",
        headers: { "content-type": "application/activity+json" },
        body: JSON.stringify(body),
      });
      return key.type === "ed25519"
        ? request
        : signRequest(request, key.privateKey, key.id, { spec: "draft-cavage-http-signatures-12" });
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
