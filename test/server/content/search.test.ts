import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestInstance, type TestInstance } from "../../support/instance.ts";

describe("search", () => {
  let praxis: TestInstance;
  let owner: Person;
  let outsider: Person;

  beforeAll(async () => {
    praxis = await startTestInstance();
    owner = await praxis.signUp("owner_person");
    outsider = await praxis.signUp("outsider_person");
    const communities = [
      ["open-sp", "open", "Social protection in Mozambique"],
      ["secret-sp", "private", "Confidential zebrafinch programme"],
    ];
    for (const [slug, privacy, name] of communities) {
      await praxis.request("POST", "/api/v1/communities", {
        token: owner.token,
        body: { slug, name, privacy },
      });
    }
    const post = (slug: string, title: string, content: string) =>
      praxis.request("POST", `/api/v1/communities/${slug}/discussions`, {
        token: owner.token,
        body: { title, content },
      });
    await post(
      "open-sp",
      "Proteção social adaptativa",
      "A proteção social responde aos choques climáticos nas famílias rurais.",
    );
    await post(
      "open-sp",
      "Transferts monétaires",
      "Les transferts monétaires réduisent la pauvreté des ménages ruraux.",
    );
    await post(
      "secret-sp",
      "Zebrafinch budget",
      "The zebrafinch budget for next year is confidential.",
    );
  });
  afterAll(() => praxis.close());

  const find = (query: string, token?: string) =>
    praxis.request("GET", `/api/v1/search?${query}`, { token });

  it("finds text with stemming in its own language and without accents", async () => {
    const stemmed = await find("q=transfert");
    expect(stemmed.body.items.map((h: { title: string }) => h.title)).toContain(
      "Transferts monétaires",
    );
    const unaccented = await find("q=protecao");
    expect(unaccented.body.items[0]).toMatchObject({
      kind: "discussion",
      title: "Proteção social adaptativa",
      language: "pt",
    });
  });

  it("never shows a private community's words to a non-member, and shows them to its members", async () => {
    for (const token of [undefined, outsider.token]) {
      const hidden = await find("q=zebrafinch", token);
      expect(hidden.status).toBe(200);
      expect(hidden.body.items).toEqual([
        expect.objectContaining({ kind: "community", community: "secret-sp" }),
      ]);
    }
    const member = await find("q=zebrafinch&kind=discussion", owner.token);
    expect(member.body.items.map((h: { title: string }) => h.title)).toEqual(["Zebrafinch budget"]);
  });

  it("filters by kind, community and language", async () => {
    const communities = await find("q=mozambique&kind=community");
    expect(communities.body.items.map((h: { community: string }) => h.community)).toEqual([
      "open-sp",
    ]);
    const french = await find("q=rural OR ruraux&language=fr");
    expect(french.body.items.map((h: { language: string }) => h.language)).toEqual(["fr"]);
    const elsewhere = await find("q=transfert&community=secret-sp", owner.token);
    expect(elsewhere.body.items).toEqual([]);
  });

  it("finds a file by its category, and a private file only for members", async () => {
    const upload = (filename: string, category: string, isPrivate: boolean) => {
      const form = new FormData();
      form.set("file", new File(["%PDF-1.4\n"], filename));
      form.set("category", category);
      form.set("private", String(isPrivate));
      return praxis.request("POST", "/api/v1/communities/open-sp/files", {
        token: owner.token,
        body: form,
      });
    };
    expect((await upload("guide.pdf", "Targeting toolkits", false)).status).toBe(201);
    expect((await upload("ledger.pdf", "Budget ledgers", true)).status).toBe(201);
    const titles = (answer: { body: { items: { title: string }[] } }) =>
      answer.body.items.map((hit) => hit.title);
    expect(titles(await find("q=toolkits"))).toEqual(["guide"]);
    expect(titles(await find("q=ledgers&kind=file", outsider.token))).toEqual([]);
    expect(titles(await find("q=ledgers&kind=file", owner.token))).toEqual(["ledger"]);
  });

  it("pages through every hit once, best first, and refuses a cursor it did not give", async () => {
    for (let n = 1; n <= 5; n++) {
      await praxis.request("POST", "/api/v1/communities/open-sp/discussions", {
        token: owner.token,
        body: { title: `Kingfisher registry ${n}`, content: `Kingfisher ${"registry ".repeat(n)}` },
      });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await find(`q=kingfisher&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((hit: { id: string }) => hit.id));
      cursor = page.body.next;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(5);
    const all = await find("q=kingfisher&limit=10");
    expect(all.body.items.map((hit: { id: string }) => hit.id)).toEqual(seen);
    const forged = await find("q=kingfisher&cursor=not-a-cursor");
    expect(forged.status).toBe(400);
  });

  it("refuses an empty query with a clear error", async () => {
    const empty = await find("q=");
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe("invalid_input");
  });
});
