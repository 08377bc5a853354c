import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { signRequest } from "@fedify/fedify";
import { exportSPKI } from "jose";
import { freePort } from "../../db/embedded.ts";

/**
 * The shared fixtures sit beside the repository; a clone made elsewhere on the machine (as
 * CI makes one) finds them through PRAXIS_PEER_FIXTURES or their usual place.
 */
export const fixtures =
  [
    process.env.PRAXIS_PEER_FIXTURES,
    resolve(fileURLToPath(new URL("../../../shared/fixtures/peers", import.meta.url))),
    "/work/shared/fixtures/peers",
  ].find((dir): dir is string => dir !== undefined && existsSync(dir)) ?? "shared/fixtures/peers";

/** A document from ../shared/fixtures/peers, as the software that wrote it sent it. */
export function fixture(path: string): any {
  return JSON.parse(readFileSync(resolve(fixtures, path), "utf8"));
}

export interface FakeAccount {
  id: string;
  keyId: string;
  inbox: string;
  privateKey: CryptoKey;
}

/**
 * Mastodon's own reply (fixture), rewritten to answer `inReplyTo`, come from `account` as its
 * status `n`, and go to its followers with `cc` (the group, and the public for a public reply).
 */
export function mastodonReply(
  account: FakeAccount,
  n: number,
  reply: { inReplyTo: string; content: string; cc: string[] },
) {
  const create = fixture("mastodon/activities/create_note.json");
  const id = `${account.id}/statuses/${n}`;
  const addressing = { to: [`${account.id}/followers`], cc: reply.cc };
  return {
    ...create,
    id: `${id}/activity`,
    actor: account.id,
    ...addressing,
    object: {
      ...create.object,
      id,
      url: id,
      attributedTo: account.id,
      inReplyTo: reply.inReplyTo,
      inReplyToAtomUri: reply.inReplyTo,
      atomUri: id,
      content: `<p>${reply.content}</p>`,
      contentMap: { en: `<p>${reply.content}</p>` },
      tag: [],
      replies: undefined,
      ...addressing,
    },
  };
}

/**
 * A stand-in for a server we do not run (Mastodon, Lemmy): it serves actor documents shaped
 * like that software's own (from the fixtures), with keys of its own, keeps what arrives in
 * its inboxes, and signs what it sends as they do (draft-cavage signatures, RSA-SHA256).
 */
export interface FakePeer {
  origin: string;
  account(name: string): Promise<FakeAccount>;
  received: any[];
  /** Every delivery attempt, answered or not: where, when, and with which status. */
  attempts: { url: string; at: number; status: number }[];
  /** Answers the next deliveries with these statuses and headers, then accepts again. */
  answerNext(...answers: { status: number; headers?: Record<string, string> }[]): void;
  post(inbox: string, activity: unknown, signer: FakeAccount): Promise<Response>;
  close(): Promise<void>;
}

interface Software {
  /** An actor document of that software, from the fixtures. */
  actorTemplate: string;
  /** Where it keeps an account's actor, e.g. `/users/{name}` for Mastodon. */
  actorPath: (name: string) => string;
}

export const startFakeMastodon = (address: string) =>
  startFakePeer(address, {
    actorTemplate: "mastodon/mobilizon-test-fixtures/mastodon-actor.json",
    actorPath: (name) => `/users/${name}`,
  });

export const startFakeLemmy = (address: string) =>
  startFakePeer(address, {
    actorTemplate: "lemmy/objects/person.json",
    actorPath: (name) => `/u/${name}`,
  });

async function startFakePeer(address: string, software: Software): Promise<FakePeer> {
  const port = await freePort(address);
  const origin = `http://${address}:${port}`;
  const documents = new Map<string, unknown>();
  const received: any[] = [];
  const attempts: FakePeer["attempts"] = [];
  const answers: Parameters<FakePeer["answerNext"]> = [];
  const template = fixture(software.actorTemplate);

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", origin).href;
    if (request.method === "POST") {
      let body = "";
      request.on("data", (chunk) => {
        body += chunk;
      });
      request.on("end", () => {
        const answer = answers.shift() ?? { status: 202 };
        attempts.push({ url, at: Date.now(), status: answer.status });
        if (answer.status < 300) received.push(JSON.parse(body));
        response.writeHead(answer.status, answer.headers).end();
      });
      return;
    }
    const document = documents.get(url.split("#")[0] ?? url);
    if (!document) return void response.writeHead(404).end();
    response.writeHead(200, { "content-type": "application/activity+json" });
    response.end(JSON.stringify(document));
  });
  await new Promise<void>((done) => server.listen(port, address, done));

  return {
    origin,
    received,
    attempts,
    answerNext: (...next) => void answers.push(...next),
    async account(name) {
      const id = `${origin}${software.actorPath(name)}`;
      const keys = (await crypto.subtle.generateKey(
        {
          name: "RSASSA-PKCS1-v1_5",
          modulusLength: 2048,
          publicExponent: new Uint8Array([1, 0, 1]),
          hash: "SHA-256",
        },
        true,
        ["sign", "verify"],
      )) as CryptoKeyPair;
      const keyId = `${id}#main-key`;
      documents.set(id, {
        // Lemmy's fixtures come without @context (Lemmy trims them in its tests, not on the wire).
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        ...template,
        id,
        url: `${origin}/@${name}`,
        preferredUsername: name,
        name: `${name} on Mastodon`,
        inbox: `${id}/inbox`,
        outbox: `${id}/outbox`,
        followers: `${id}/followers`,
        following: `${id}/following`,
        featured: `${id}/collections/featured`,
        endpoints: { sharedInbox: `${origin}/inbox` },
        publicKey: { id: keyId, owner: id, publicKeyPem: await exportSPKI(keys.publicKey) },
        icon: undefined,
        image: undefined,
        attachment: [],
        tag: [],
      });
      return { id, keyId, inbox: `${id}/inbox`, privateKey: keys.privateKey };
    },
    async post(inbox, activity, signer) {
      const request = new Request(inbox, {
        method: "POST",
        headers: { "content-type": "application/activity+json" },
        body: JSON.stringify(activity),
      });
      return fetch(await signRequest(request, signer.privateKey, new URL(signer.keyId)));
    },
    close: () => new Promise((done) => server.close(() => done())),
  };
}
