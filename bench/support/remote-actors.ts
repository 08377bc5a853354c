import { createServer, type Server } from "node:http";
import { signRequest } from "@fedify/fedify";
import { exportSPKI } from "jose";
import { freePort } from "../../db/embedded.ts";

export interface RemoteActor {
  id: string;
  keyId: URL;
  privateKey: CryptoKey;
  /** RFC 9421 for Ed25519 keys; the draft-cavage signatures Mastodon sends for RSA. */
  spec: "rfc9421" | "draft-cavage-http-signatures-12";
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
    const ed25519 = n % 2 === 1;
    const keys = ed25519
      ? ((await crypto.subtle.generateKey("Ed25519", true, ["sign", "verify"])) as CryptoKeyPair)
      : await crypto.subtle.generateKey(
          {
            name: "RSASSA-PKCS1-v1_5",
            hash: "SHA-256",
            modulusLength: 2048,
            publicExponent: new Uint8Array([1, 0, 1]),
          },
          true,
          ["sign", "verify"],
        );
    const keyId = new URL(`${id}#main-key`);
    documents.set(
      new URL(id).pathname,
      JSON.stringify({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        id,
        type: "Person",
        preferredUsername: `sender${n}`,
        name: `Sender ${n}`,
        inbox: `${id}/inbox`,
        endpoints: { sharedInbox: `${origin}/inbox` },
        publicKey: { id: keyId.href, owner: id, publicKeyPem: await exportSPKI(keys.publicKey) },
      }),
    );
    actors.push({
      id,
      keyId,
      privateKey: keys.privateKey,
      spec: ed25519 ? "rfc9421" : "draft-cavage-http-signatures-12",
    });
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
    async sign(actor, inbox, activity) {
      const request = new Request(inbox, {
        method: "POST",
        headers: { "content-type": "application/activity+json" },
        body: JSON.stringify(activity),
      });
      return signRequest(request, actor.privateKey, actor.keyId, { spec: actor.spec });
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
