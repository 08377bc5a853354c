import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Person,
  startTestInstance,
  type TestInstance,
  testOrigin,
} from "../../support/instance.ts";

const pdf = new TextEncoder().encode(
  "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n",
);
const png = Uint8Array.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1,
  0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89,
]);
const elf = Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...new Array(56).fill(0)]);

describe("files", () => {
  let praxis: TestInstance;
  let owner: Person;
  let member: Person;
  let outsider: Person;

  beforeAll(async () => {
    praxis = await startTestInstance({ UPLOAD_LIMIT_MB: "0.05" });
    owner = await praxis.signUp("owner_person");
    member = await praxis.signUp("member_person");
    outsider = await praxis.signUp("outsider_person");
    await praxis.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug: "library", name: "Library", privacy: "open" },
    });
    await praxis.request("POST", "/api/v1/communities/library/join", { token: member.token });
  });
  afterAll(() => praxis.close());

  const upload = async (
    token: string | undefined,
    bytes: Uint8Array<ArrayBuffer>,
    filename: string,
    fields: Record<string, string> = {},
  ) => {
    const form = new FormData();
    form.set("file", new Blob([bytes]), filename);
    for (const [key, value] of Object.entries(fields)) form.set(key, value);
    const response = await praxis.app.request(`${testOrigin}/api/v1/communities/library/files`, {
      method: "POST",
      body: form,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: response.status, body: await response.json() };
  };

  it("stores a document in its category, sniffed from its bytes, and serves it safely as an attachment", async () => {
    const shared = await upload(member.token, pdf, "Rapport annuel 2026.pdf", {
      category: "Reports",
      title: "Annual report",
    });
    expect(shared.status).toBe(201);
    expect(shared.body).toMatchObject({
      kind: "file",
      title: "Annual report",
      file: {
        filename: "Rapport annuel 2026.pdf",
        mediaType: "application/pdf",
        category: "Reports",
        private: false,
      },
    });
    const response = await praxis.app.request(shared.body.file.url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-disposition")).toContain(
      "filename*=UTF-8''Rapport%20annuel%202026.pdf",
    );
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(pdf);
    const record = await praxis.request("GET", `/api/v1/files/${shared.body.id}`);
    expect(record.body.file.downloads).toBe(1);
  });

  it("refuses an executable, also when renamed, and an unknown binary, storing nothing", async () => {
    for (const name of ["tool.exe", "report.pdf"]) {
      const refused = await upload(member.token, elf, name);
      expect(refused.status, name).toBe(415);
      expect(refused.body.error.code).toBe("file_type_not_allowed");
    }
    const binary = await upload(
      member.token,
      Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7]),
      "data.csv",
    );
    expect(binary.status).toBe(415);
    const list = await praxis.request("GET", "/api/v1/communities/library/files?limit=100");
    expect(
      list.body.items.map((f: { file: { filename: string } }) => f.file.filename),
    ).not.toContain("tool.exe");
  });

  it("takes clean UTF-8 text as CSV and images as images", async () => {
    const csv = await upload(
      member.token,
      new TextEncoder().encode("country,coverage\nGhana,0.42\n"),
      "coverage.csv",
    );
    expect(csv.body.file.mediaType).toBe("text/csv");
    const image = await upload(member.token, png, "photo.png");
    expect(image.body.file.mediaType).toBe("image/png");
  });

  it("answers 413 above the configured size", async () => {
    const big = new Uint8Array(60 * 1024);
    big.set(pdf);
    const refused = await upload(member.token, big, "big.pdf");
    expect(refused.status).toBe(413);
  });

  it("hides a private file from non-members of an open community, even by id", async () => {
    const secret = await upload(member.token, pdf, "budget.pdf", { private: "true" });
    expect(secret.body.file.private).toBe(true);
    const anonymous = await praxis.request("GET", "/api/v1/communities/library/files?limit=100");
    expect(anonymous.body.items.map((f: { id: string }) => f.id)).not.toContain(secret.body.id);
    expect(
      (await praxis.request("GET", `/api/v1/files/${secret.body.id}`, { token: outsider.token }))
        .status,
    ).toBe(404);
    expect((await praxis.app.request(secret.body.file.url)).status).toBe(404);
    expect((await praxis.request("GET", `/api/v1/posts/${secret.body.id}`)).status).toBe(404);
    const found = await praxis.request("GET", "/api/v1/search?q=budget&kind=file", {
      token: outsider.token,
    });
    expect(found.body.items).toEqual([]);
    const foundByMember = await praxis.request("GET", "/api/v1/search?q=budget&kind=file", {
      token: member.token,
    });
    expect(foundByMember.body.items.map((hit: { id: string }) => hit.id)).toEqual([secret.body.id]);
    const asMember = await praxis.request("GET", "/api/v1/communities/library/files?limit=100", {
      token: member.token,
    });
    expect(asMember.body.items.map((f: { id: string }) => f.id)).toContain(secret.body.id);
  });

  it("lets only members share files, and filters by category", async () => {
    expect((await upload(outsider.token, pdf, "x.pdf")).status).toBe(403);
    expect((await upload(undefined, pdf, "x.pdf")).status).toBe(401);
    const reports = await praxis.request(
      "GET",
      "/api/v1/communities/library/files?category=Reports",
    );
    expect(reports.body.items.map((f: { title: string }) => f.title)).toEqual(["Annual report"]);
  });
});
