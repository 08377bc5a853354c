import { createHash, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { Socket } from "node:net";
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
  /**
   * A Mastodon-shaped Person at `/users/{name}` (or `path`) listing its key `#main-key`,
   * shown as `displayName` (its name unless given).
   */
  person(name: string, options?: { path?: string; displayName?: string }): RawActor;
  received: { path: string; body: any }[];
  /**
   * Goes down as a server in an outage does: `refuse` stops listening, so connections are
   * refused; `hang` keeps accepting connections and answers nothing on them.
   */
  goDown(how: "refuse" | "hang"): Promise<void>;
  /** Answers again, at the same address and port. */
  comeBack(): Promise<void>;
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
export const publicAddress = "https://www.w3.org/ns/activitystreams#Public";

/**
 * An HTTP request signed by hand, draft-cavage (as Mastodon signs) or RFC 9421. An Ed25519
 * key signs as Mitra does (apx_core/src/http_signatures/create.rs): `hs2019` in draft-cavage,
 * `ed25519` in RFC 9421.
 */
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
  const ed25519 = signer.privateKey.asymmetricKeyType === "ed25519";
  const signed = (base: string) =>
    sign(ed25519 ? null : "sha256", Buffer.from(base), signer.privateKey).toString("base64");
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
    headers.signature =
      `keyId="${signer.keyId}",algorithm="${ed25519 ? "hs2019" : "rsa-sha256"}",` +
      `headers="${covered.join(" ")}",signature="${signed(lines.join("\n"))}"`;
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
      `keyid="${signer.keyId}";alg="${ed25519 ? "ed25519" : "rsa-v1_5-sha256"}"`;
    const base = [
      ...components.map(([name, value]) => `${name}: ${value}`),
      `"@signature-params": ${parameters}`,
    ].join("\n");
    headers["signature-input"] = `sig1=${parameters}`;
    headers.signature = `sig1=:${signed(base)}:`;
  }
  return new Request(url, { method, headers, body: text });
}

/** JSON canonicalised as RFC 8785 (JCS) has it, for the plain data these tests sign. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

const base58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

function base58btc(bytes: Uint8Array): string {
  let number = BigInt(`0x${Buffer.from(bytes).toString("hex") || "0"}`);
  let text = "";
  while (number > 0n) {
    text = base58[Number(number % 58n)] + text;
    number /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    text = `1${text}`;
  }
  return `z${text}`;
}

/** An Ed25519 key pair, its public key as a Multikey's `publicKeyMultibase`. */
export function ed25519KeyPair(): { publicKeyMultibase: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const raw = Buffer.from(publicKey.export({ format: "jwk" }).x as string, "base64url");
  return {
    publicKeyMultibase: base58btc(Buffer.concat([Buffer.from([0xed, 0x01]), raw])),
    privateKey,
  };
}

/** The activity with an Object Integrity Proof (FEP-8b32, eddsa-jcs-2022), made by hand. */
export function withIntegrityProof(
  activity: Record<string, unknown>,
  signer: { keyId: string; privateKey: KeyObject },
): Record<string, unknown> {
  const options = {
    "@context": activity["@context"],
    type: "DataIntegrityProof",
    cryptosuite: "eddsa-jcs-2022",
    verificationMethod: signer.keyId,
    proofPurpose: "assertionMethod",
    created: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
  };
  const hash = (value: unknown) => createHash("sha256").update(canonical(value)).digest();
  const signature = sign(null, Buffer.concat([hash(options), hash(activity)]), signer.privateKey);
  const { "@context": _, ...proof } = options;
  return { ...activity, proof: { ...proof, proofValue: base58btc(signature) } };
}

export async function startRawPeer(address: string): Promise<RawPeer> {
  const port = await freePort(address);
  const origin = `http://${address}:${port}`;
  const documents = new Map<string, { body: string; type: string }>();
  const received: RawPeer["received"] = [];
  let outage: "refuse" | "hang" | undefined;
  const unanswered = new Set<Socket>();

  const server: Server = createServer((request, response) => {
    if (outage === "hang") return void unanswered.add(request.socket);
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
  const listen = () => new Promise<void>((done) => server.listen(port, address, done));
  await listen();

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
    person(name, { path = `/users/${name}`, displayName = name } = {}) {
      const id = `${origin}${path}`;
      const { publicKeyPem, privateKey } = peer.keyPair();
      const keyId = `${id}#main-key`;
      const document = {
        "@context": contexts,
        id,
        type: "Person",
        preferredUsername: name,
        name: displayName,
        inbox: `${id}/inbox`,
        outbox: `${id}/outbox`,
        followers: `${id}/followers`,
        endpoints: { sharedInbox: `${origin}/inbox` },
        publicKey: { id: keyId, owner: id, publicKeyPem },
      };
      peer.serve(path, document);
      return { id, inbox: `${id}/inbox`, keyId, privateKey, document };
    },
    async goDown(how) {
      outage = how;
      if (how === "hang") return;
      const closed = new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
      await closed;
    },
    async comeBack() {
      if (outage === "refuse") await listen();
      for (const socket of unanswered) socket.destroy();
      unanswered.clear();
      outage = undefined;
    },
    close: () => new Promise((done) => server.close(() => done())),
  };
  return peer;
}
