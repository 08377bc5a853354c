import { createHash, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { createServer, type Server } from "node:http";
import { freePort } from "../../db/embedded.ts";

/**
 * A server that shares no code with Praxis or Fedify: it serves whatever documents a test
 * gives it, with whatever content type, and signs requests itself with node:crypto. Attack
 * tests use it so that they cannot share the bug they look for.
 */
export interface RawPeer {
  origin: string;
  host: string;
  /** Serves `document` at `path` (JSON unless `body` is given as text) with `type`. */
  serve(path: string, document: unknown, type?: string): void;
  /** A fresh RSA key pair, its public key as SPKI PEM. */
  keyPair(): { publicKeyPem: string; privateKey: KeyObject };
  /** A Mastodon-shaped Person at `/users/{name}` listing its key `#main-key`. */
  person(name: string): RawActor;
  received: { path: string; body: any }[];
  close(): Promise<void>;
}

export interface RawActor {
  id: string;
  inbox: string;
  keyId: string;
  privateKey: KeyObject;
  document: Record<string, unknown>;
}

export type SignatureStyle = "draft-cavage" | "rfc9421";

const activityJson = "application/activity+json";
export const contexts = ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"];

/** An HTTP request signed by hand, draft-cavage (as Mastodon signs) or RFC 9421. */
export function signedRequest(
  method: "GET" | "POST",
  url: string,
  signer: { keyId: string; privateKey: KeyObject },
  body?: unknown,
  style: SignatureStyle = "draft-cavage",
): Request {
  const target = new URL(url);
  const text = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = {
    host: target.host,
    date: new Date().toUTCString(),
    accept: activityJson,
  };
  const sha256 = createHash("sha256")
    .update(text ?? "")
    .digest("base64");
  if (text !== undefined) headers["content-type"] = activityJson;
  if (style === "draft-cavage") {
    const covered = ["(request-target)", "host", "date"];
    if (text !== undefined) {
      headers.digest = `SHA-256=${sha256}`;
      covered.push("digest");
    }
    const lines = covered.map((name) =>
      name === "(request-target)"
        ? `(request-target): ${method.toLowerCase()} ${target.pathname}${target.search}`
        : `${name}: ${headers[name]}`,
    );
    const signature = sign("sha256", Buffer.from(lines.join("\n")), signer.privateKey);
    headers.signature =
      `keyId="${signer.keyId}",algorithm="rsa-sha256",headers="${covered.join(" ")}",` +
      `signature="${signature.toString("base64")}"`;
  } else {
    const components: [string, string][] = [
      ['"@method"', method],
      ['"@target-uri"', target.href],
      ['"@authority"', target.host],
    ];
    if (text !== undefined) {
      headers["content-digest"] = `sha-256=:${sha256}:`;
      components.push(['"content-digest"', headers["content-digest"]]);
    }
    const created = Math.floor(Date.now() / 1000);
    const parameters =
      `(${components.map(([name]) => name).join(" ")});created=${created};` +
      `keyid="${signer.keyId}";alg="rsa-v1_5-sha256"`;
    const base = [
      ...components.map(([name, value]) => `${name}: ${value}`),
      `"@signature-params": ${parameters}`,
    ].join("\n");
    const signature = sign("sha256", Buffer.from(base), signer.privateKey);
    headers["signature-input"] = `sig1=${parameters}`;
    headers.signature = `sig1=:${signature.toString("base64")}:`;
  }
  return new Request(url, { method, headers, body: text });
}

export async function startRawPeer(address: string): Promise<RawPeer> {
  const port = await freePort(address);
  const origin = `http://${address}:${port}`;
  const documents = new Map<string, { body: string; type: string }>();
  const received: RawPeer["received"] = [];

  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", origin).pathname;
    if (request.method === "POST") {
      let body = "";
      request.on("data", (chunk) => {
        body += chunk;
      });
      request.on("end", () => {
        received.push({ path, body: JSON.parse(body || "null") });
        response.writeHead(202).end();
      });
      return;
    }
    const document = documents.get(path);
    if (!document) return void response.writeHead(404).end();
    response.writeHead(200, { "content-type": document.type }).end(document.body);
  });
  await new Promise<void>((done) => server.listen(port, address, done));

  const peer: RawPeer = {
    origin,
    host: `${address}:${port}`,
    received,
    serve(path, document, type = activityJson) {
      const body = typeof document === "string" ? document : JSON.stringify(document);
      documents.set(path, { body, type });
    },
    keyPair() {
      const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      return {
        publicKeyPem: publicKey.export({ type: "spki", format: "pem" }) as string,
        privateKey,
      };
    },
    person(name) {
      const id = `${origin}/users/${name}`;
      const { publicKeyPem, privateKey } = peer.keyPair();
      const keyId = `${id}#main-key`;
      const document = {
        "@context": contexts,
        id,
        type: "Person",
        preferredUsername: name,
        name,
        inbox: `${id}/inbox`,
        outbox: `${id}/outbox`,
        followers: `${id}/followers`,
        endpoints: { sharedInbox: `${origin}/inbox` },
        publicKey: { id: keyId, owner: id, publicKeyPem },
      };
      peer.serve(`/users/${name}`, document);
      return { id, inbox: `${id}/inbox`, keyId, privateKey, document };
    },
    close: () => new Promise((done) => server.close(() => done())),
  };
  return peer;
}
