import { mkdtemp, rm } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../../db/embedded.ts";
import { fileDetails } from "../../../db/schema/files.ts";
import { ConfigError, loadConfig } from "../../../server/config.ts";
import { signToken } from "../../../server/services/tokens.ts";
import { type Requester, requester, signUpWith } from "../../support/client.ts";
import { freshDatabase } from "../../support/database.ts";
import {
  type Person,
  startTestInstance,
  type TestInstance,
  testOrigin,
} from "../../support/instance.ts";
import { killLaunched, startPraxis } from "../../support/process.ts";

/** What a peer would take for the owner's actor if it parsed the file's download as JSON. */
function personDocument(origin: string, username: string): string {
  const id = `${origin}/actors/${username}`;
  return JSON.stringify({
    "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
    id,
    type: "Person",
    preferredUsername: username,
    inbox: `${id}/inbox`,
    publicKey: { id: `${id}#main-key`, owner: id, publicKeyPem: "-----BEGIN PUBLIC KEY-----" },
  });
}

const bytesOf = (text: string) => new TextEncoder().encode(text);
const byteOrderMark = Uint8Array.from([0xef, 0xbb, 0xbf]);

async function shareFile(
  request: Requester,
  token: string,
  file: { bytes: Uint8Array<ArrayBuffer>; filename: string; type?: string },
  fields: Record<string, string> = {},
) {
  const form = new FormData();
  form.set("file", new Blob([file.bytes], { type: file.type ?? "" }), file.filename);
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  return request("POST", "/api/v1/communities/library/files", { token, body: form });
}

async function openLibrary(request: Requester, owner: Person, member: Person): Promise<void> {
  await request("POST", "/api/v1/communities", {
    token: owner.token,
    body: { slug: "library", name: "Library", privacy: "open" },
  });
  await request("POST", "/api/v1/communities/library/join", { token: member.token });
}

describe("uploads that would pass for ActivityPub documents, on a single origin", () => {
  let praxis: TestInstance;
  let owner: Person;
  let member: Person;

  beforeAll(async () => {
    praxis = await startTestInstance();
    owner = await praxis.signUp("owner_person");
    member = await praxis.signUp("member_person");
    await openLibrary(praxis.request, owner, member);
  });
  afterAll(() => praxis.close());

  it("refuses a Person document uploaded as a text file, whatever its name or declared type", async () => {
    const person = bytesOf(personDocument(testOrigin, "owner_person"));
    for (const file of [
      { bytes: person, filename: "notes.txt", type: "text/plain" },
      { bytes: person, filename: "minutes.md", type: "application/activity+json" },
      { bytes: bytesOf(`[${personDocument(testOrigin, "owner_person")}]`), filename: "list.csv" },
    ]) {
      const refused = await shareFile(praxis.request, member.token, file);
      expect(refused.status, file.filename).toBe(422);
      expect(refused.body.error.code).toBe("json_upload_needs_media_origin");
    }
    const francophone = await praxis.signUp("membre_fr", { locale: "fr" });
    await praxis.request("POST", "/api/v1/communities/library/join", { token: francophone.token });
    const inFrench = await shareFile(praxis.request, francophone.token, {
      bytes: person,
      filename: "notes.txt",
    });
    expect(inFrench.body.error.message).toContain("adresse distincte pour les fichiers");
    const listed = await praxis.request("GET", "/api/v1/communities/library/files");
    expect(listed.body.items).toEqual([]);
  });

  it("refuses the same document behind a byte-order mark and whitespace", async () => {
    const disguised = new Uint8Array([
      ...byteOrderMark,
      ...bytesOf(" \r\n\t"),
      ...bytesOf(personDocument(testOrigin, "owner_person")),
      ...bytesOf("\n\n"),
    ]);
    const refused = await shareFile(praxis.request, member.token, {
      bytes: disguised,
      filename: "readme.txt",
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe("json_upload_needs_media_origin");
  });

  it("still takes plain text, also text that opens with a bracket but is not JSON", async () => {
    for (const text of [
      "Agenda for Thursday\n",
      "[draft] notes from the peer exchange\n",
      '{"unfinished": ',
      '"a quoted line"\n',
    ]) {
      const shared = await shareFile(praxis.request, member.token, {
        bytes: bytesOf(text),
        filename: "notes.txt",
      });
      expect(shared.status, text).toBe(201);
      expect(shared.body.file.mediaType).toBe("text/plain");
    }
  });

  it("does not serve a JSON document stored before uploads were checked", async () => {
    const shared = await shareFile(praxis.request, member.token, {
      bytes: bytesOf("Harmless at first\n"),
      filename: "old.txt",
    });
    const [stored] = await praxis.deps.db
      .select({ storageKey: fileDetails.storageKey })
      .from(fileDetails)
      .where(eq(fileDetails.postId, shared.body.id));
    if (!stored) throw new Error("the file was not stored");
    await praxis.deps.storage.delete(stored.storageKey);
    await praxis.deps.storage.put(
      stored.storageKey,
      bytesOf(personDocument(testOrigin, "owner_person")),
    );
    const download = await praxis.app.request(shared.body.file.url);
    expect(download.status).toBe(422);
    expect((await download.json()).error.code).toBe("json_upload_needs_media_origin");
  });
});

describe("MEDIA_URL", () => {
  const env = { DATA_DIR: tmpdir(), SECRET_KEY: "a".repeat(32) };

  it("must be an origin of its own, apart from PUBLIC_URL", () => {
    const problemWith = (values: Record<string, string>) => {
      try {
        loadConfig({ ...env, ...values });
      } catch (error) {
        if (error instanceof ConfigError) return error.message;
        throw error;
      }
      return "accepted";
    };
    expect(
      problemWith({
        PUBLIC_URL: "https://praxis.example.org",
        MEDIA_URL: "ftp://media.example.org",
      }),
    ).toContain('MEDIA_URL="ftp://media.example.org": must be a URL starting with http or https');
    expect(
      problemWith({
        PUBLIC_URL: "https://praxis.example.org",
        MEDIA_URL: "https://praxis.example.org",
      }),
    ).toContain('MEDIA_URL="https://praxis.example.org": must have a host of its own');
    expect(
      problemWith({
        PUBLIC_URL: "https://praxis.example.org",
        MEDIA_URL: "https://media.example.org/files",
      }),
    ).toContain("must be an origin only");
    expect(
      loadConfig({ ...env, PUBLIC_URL: "https://praxis.example.org" }).mediaUrl,
    ).toBeUndefined();
    expect(
      loadConfig({
        ...env,
        PUBLIC_URL: "https://praxis.example.org",
        MEDIA_URL: "https://media.example.org",
      }).mediaUrl?.href,
    ).toBe("https://media.example.org/");
  });
});

describe("a separate media origin", () => {
  const mediaOrigin = "http://media.praxis.test";
  let praxis: TestInstance;
  let owner: Person;
  let member: Person;
  let outsider: Person;

  beforeAll(async () => {
    praxis = await startTestInstance({ MEDIA_URL: mediaOrigin });
    owner = await praxis.signUp("owner_person");
    member = await praxis.signUp("member_person");
    outsider = await praxis.signUp("outsider_person");
    await openLibrary(praxis.request, owner, member);
  });
  afterAll(() => praxis.close());

  const mediaLinkFor = async (fileId: string, token: string) => {
    const forwarded = await praxis.request("GET", `/api/v1/files/${fileId}/download`, { token });
    expect(forwarded.status).toBe(302);
    return new URL(forwarded.headers.get("location") ?? "");
  };

  it("links a file anyone may download on the media origin, which serves it as an attachment", async () => {
    const shared = await shareFile(praxis.request, member.token, {
      bytes: bytesOf("Agenda for Thursday\n"),
      filename: "agenda.txt",
    });
    expect(shared.status).toBe(201);
    expect(shared.body.file.url).toBe(`${mediaOrigin}/files/${shared.body.id}`);
    const download = await praxis.app.request(shared.body.file.url);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe("Agenda for Thursday\n");
    expect(download.headers.get("content-type")).toBe("text/plain");
    expect(download.headers.get("x-content-type-options")).toBe("nosniff");
    expect(download.headers.get("content-disposition")).toMatch(
      /^attachment; filename="agenda.txt"/,
    );

    const thread = await praxis.request("POST", "/api/v1/communities/library/discussions", {
      token: member.token,
      body: { title: "Thursday", content: "See the agenda.", attachments: [shared.body.id] },
    });
    expect(thread.body.attachments[0].url).toBe(shared.body.file.url);
    const document = await praxis.app.request(shared.body.uri, {
      headers: { accept: "application/activity+json" },
    });
    // A file travels as a Page with the file as its Document attachment (objects.ts).
    const [attachment] = (await document.json()).attachment;
    expect(attachment.url).toBe(shared.body.file.url);
  });

  it("answers the main origin's download route with a redirect to the media origin, never the bytes", async () => {
    const shared = await shareFile(praxis.request, member.token, {
      bytes: bytesOf("Minutes\n"),
      filename: "minutes.txt",
    });
    const download = await praxis.app.request(
      `${testOrigin}/api/v1/files/${shared.body.id}/download`,
    );
    expect(download.status).toBe(302);
    const location = new URL(download.headers.get("location") ?? "");
    expect(location.origin).toBe(mediaOrigin);
    expect(location.pathname).toBe(`/files/${shared.body.id}`);
    expect(await download.text()).not.toContain("Minutes");
  });

  it("accepts a JSON document, served only from the media origin", async () => {
    const person = personDocument(testOrigin, "owner_person");
    const shared = await shareFile(praxis.request, member.token, {
      bytes: bytesOf(person),
      filename: "notes.txt",
    });
    expect(shared.status).toBe(201);
    const main = await praxis.app.request(`${testOrigin}/api/v1/files/${shared.body.id}/download`);
    expect(main.status).toBe(302);
    expect(await main.text()).not.toContain("Person");
    const media = await praxis.app.request(shared.body.file.url);
    expect(media.status).toBe(200);
    expect(await media.text()).toBe(person);
  });

  it("lets only members download a members-only file, through a media link signed for it", async () => {
    const shared = await shareFile(
      praxis.request,
      member.token,
      { bytes: bytesOf("Budget draft\n"), filename: "budget.txt" },
      { private: "true" },
    );
    const other = await shareFile(
      praxis.request,
      member.token,
      { bytes: bytesOf("Other draft\n"), filename: "other.txt" },
      { private: "true" },
    );
    // Cookies do not reach the media origin, so the link given out checks the viewer first.
    expect(shared.body.file.url).toBe(`${testOrigin}/api/v1/files/${shared.body.id}/download`);

    const link = await mediaLinkFor(shared.body.id, member.token);
    expect(link.origin).toBe(mediaOrigin);
    const forMember = await praxis.app.request(link.href);
    expect(forMember.status).toBe(200);
    expect(await forMember.text()).toBe("Budget draft\n");

    const forOutsider = await praxis.request("GET", `/api/v1/files/${shared.body.id}/download`, {
      token: outsider.token,
    });
    expect(forOutsider.status).toBe(404);
    const anonymous = await praxis.request("GET", `/api/v1/files/${shared.body.id}/download`);
    expect(anonymous.status).toBe(404);

    const bare = new URL(link);
    bare.search = "";
    const token = link.searchParams.get("token") ?? "";
    const [header, , signature] = token.split(".");
    const repointed = Buffer.from(
      JSON.stringify({ sub: other.body.id, aud: "download", exp: 4_102_444_800 }),
    ).toString("base64url");
    const expired = await signToken(
      praxis.deps.config.secretKey,
      "download",
      { sub: shared.body.id },
      new Date(Date.now() - 60_000),
    );
    const otherLink = await mediaLinkFor(other.body.id, member.token);
    for (const [what, url] of [
      ["no token", bare.href],
      ["an expired token", `${bare.href}?token=${expired}`],
      [
        "a token re-pointed at the other file",
        `${mediaOrigin}/files/${other.body.id}?token=${header}.${repointed}.${signature}`,
      ],
      ["the other file's token", `${bare.href}?${otherLink.searchParams}`],
    ] as const) {
      const refused = await praxis.app.request(url);
      expect(refused.status, what).toBe(404);
      expect(await refused.text(), what).not.toContain("draft");
    }
  });

  it("answers 404 on the media origin for everything that is not a file", async () => {
    const shared = await shareFile(praxis.request, member.token, {
      bytes: bytesOf("Agenda\n"),
      filename: "agenda.txt",
    });
    const activityJson = { accept: "application/activity+json" };
    for (const [path, headers] of [
      ["/actors/owner_person", activityJson],
      ["/actors/library", activityJson],
      [`/posts/${shared.body.id}`, activityJson],
      ["/api/v1/me", { authorization: `Bearer ${owner.token}` }],
      ["/api/v1/communities", {}],
      [`/api/v1/files/${shared.body.id}/download`, {}],
      ["/.well-known/webfinger?resource=acct:owner_person@praxis.test", {}],
      ["/.well-known/nodeinfo", {}],
      ["/healthz", {}],
      ["/", { accept: "text/html" }],
      ["/files/not-a-file", {}],
    ] as const) {
      const answer = await praxis.app.request(`${mediaOrigin}${path}`, { headers });
      expect(answer.status, path).toBe(404);
    }
  });
});

describe("a running server answering both origins behind one proxy", () => {
  const address = "127.0.0.50";
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let dataDir: string;

  beforeAll(async () => {
    database = await freshDatabase();
    dataDir = await mkdtemp(join(tmpdir(), "praxis-media-"));
  });
  afterAll(async () => {
    await killLaunched();
    await database.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** A GET as a proxy forwards it: to the one listener, with the Host the browser asked for. */
  function getAs(host: string, port: number, path: string) {
    return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
      (resolve, reject) => {
        const sent = httpRequest({ host: address, port, path, headers: { host } }, (response) => {
          let body = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => {
            body += chunk;
          });
          response.on("end", () =>
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
          );
        });
        sent.on("error", reject);
        sent.end();
      },
    );
  }

  it("tells the media origin from the main one by the Host header", async () => {
    const port = await freePort(address);
    const main = `${address}:${port}`;
    const media = `127.0.0.51:${port}`;
    await startPraxis({
      HOST: address,
      PORT: String(port),
      PUBLIC_URL: `http://${main}`,
      MEDIA_URL: `http://${media}`,
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      LOG_LEVEL: "error",
    });
    const request = requester(`http://${main}`, (req) => fetch(req, { redirect: "manual" }));
    const owner = await signUpWith(request, "owner_person");
    const member = await signUpWith(request, "member_person");
    await openLibrary(request, owner, member);
    const shared = await shareFile(request, member.token, {
      bytes: bytesOf(personDocument(`http://${main}`, "owner_person")),
      filename: "notes.txt",
    });
    expect(shared.status).toBe(201);
    expect(shared.body.file.url).toBe(`http://${media}/files/${shared.body.id}`);

    const filePath = `/files/${shared.body.id}`;
    expect((await getAs(media, port, filePath)).body).toContain('"type":"Person"');
    const forwarded = await getAs(main, port, `/api/v1/files/${shared.body.id}/download`);
    expect([forwarded.status, forwarded.headers.location]).toEqual([302, shared.body.file.url]);
    // The page may say "person" in its messages; the JSON document itself must not be there.
    expect((await getAs(main, port, filePath)).body).not.toContain('"type":"Person"');
    expect((await getAs(media, port, "/healthz")).status).toBe(404);
    expect((await getAs(main, port, "/healthz")).status).toBe(200);
  });
});
