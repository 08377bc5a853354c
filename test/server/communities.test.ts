import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestInstance, type TestInstance } from "../support/instance.ts";

describe("communities", () => {
  let praxis: TestInstance;
  let owner: Person;
  let outsider: Person;

  beforeAll(async () => {
    praxis = await startTestInstance();
    owner = await praxis.signUp("owner");
    outsider = await praxis.signUp("outsider");
  });
  afterAll(() => praxis.close());

  const create = (body: Record<string, unknown>, token = owner.token) =>
    praxis.request("POST", "/api/v1/communities", { token, body });

  it("creates a community with its concept note and makes the creator its owner", async () => {
    const created = await create({
      slug: "gender-sp",
      name: "Gender and Social Protection",
      summary: "Practitioners working on gender-responsive social protection",
      privacy: "semi_private",
      conceptNote: {
        overview: "Why we meet",
        purpose: "Share practice",
        engagement: "Monthly webinars",
      },
      eligibility: "Work in social protection",
      principles: "Be kind",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      ref: "gender-sp",
      handle: "@gender-sp@praxis.test",
      uri: "http://praxis.test/actors/gender-sp",
      privacy: "semi_private",
      hidden: false,
      archived: false,
      parent: null,
      memberCount: 1,
      viewer: { state: "active", role: "owner" },
      conceptNote: {
        overview: "Why we meet",
        purpose: "Share practice",
        engagement: "Monthly webinars",
      },
      eligibility: "Work in social protection",
    });
    const read = await praxis.request("GET", "/api/v1/communities/gender-sp");
    expect(read.body).toMatchObject({ name: "Gender and Social Protection", viewer: null });
  });

  it("refuses slugs with spaces, uppercase or double hyphens", async () => {
    for (const slug of ["with space", "Upper", "a--b", "-edge", "x"]) {
      const refused = await create({ slug, name: "Bad", privacy: "open" });
      expect(refused.status, slug).toBe(400);
      expect(refused.body.error.details[0]).toMatchObject({ field: "slug", problem: "slug" });
    }
  });

  it("refuses an unknown privacy level", async () => {
    const refused = await create({ slug: "secretive", name: "Secretive", privacy: "secret" });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details[0]).toMatchObject({
      field: "privacy",
      problem: "not_allowed",
    });
    expect((await praxis.request("GET", "/api/v1/communities/secretive")).status).toBe(404);
  });

  it("refuses a slug already used by a community or by an account", async () => {
    await create({ slug: "child-protection", name: "Child protection", privacy: "open" });
    const again = await create({ slug: "child-protection", name: "Again", privacy: "open" });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("name_taken");
    const likeAccount = await create({ slug: "outsider", name: "Clash", privacy: "open" });
    expect(likeAccount.status).toBe(409);
    const account = await praxis.request("POST", "/api/v1/accounts", {
      body: {
        username: "child_protection",
        email: "cp@example.org",
        password: "a long enough password",
      },
    });
    expect(account.status).toBe(201);
  });

  it("lets only owners and admins change settings, and archives and reactivates", async () => {
    await create({ slug: "settings-test", name: "Settings", privacy: "open" });
    const refused = await praxis.request("PATCH", "/api/v1/communities/settings-test", {
      token: outsider.token,
      body: { name: "Taken over" },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("admin_only");
    const anonymous = await praxis.request("PATCH", "/api/v1/communities/settings-test", {
      body: { name: "x" },
    });
    expect(anonymous.status).toBe(401);
    const archived = await praxis.request("PATCH", "/api/v1/communities/settings-test", {
      token: owner.token,
      body: { archived: true, conceptNote: { purpose: "Kept for reference" } },
    });
    expect(archived.body).toMatchObject({
      archived: true,
      conceptNote: { purpose: "Kept for reference", overview: "" },
    });
    const join = await praxis.request("POST", "/api/v1/communities/settings-test/join", {
      token: outsider.token,
    });
    expect(join.status).toBe(422);
    expect(join.body.error.code).toBe("community_archived");
    const reactivated = await praxis.request("PATCH", "/api/v1/communities/settings-test", {
      token: owner.token,
      body: { archived: false },
    });
    expect(reactivated.body.archived).toBe(false);
    expect(
      (
        await praxis.request("POST", "/api/v1/communities/settings-test/join", {
          token: outsider.token,
        })
      ).body,
    ).toEqual({
      state: "active",
    });
  });

  it("keeps a hidden community out of sight of non-members, and visible to members", async () => {
    await create({
      slug: "hidden-circle",
      name: "Hidden circle",
      privacy: "private",
      hidden: true,
    });
    expect((await praxis.request("GET", "/api/v1/communities/hidden-circle")).status).toBe(404);
    const asOutsider = await praxis.request("GET", "/api/v1/communities/hidden-circle", {
      token: outsider.token,
    });
    expect(asOutsider.status).toBe(404);
    expect(asOutsider.body.error.code).toBe("community_not_found");
    const directory = await praxis.request("GET", "/api/v1/communities?limit=100", {
      token: outsider.token,
    });
    expect(directory.body.items.map((c: { ref: string }) => c.ref)).not.toContain("hidden-circle");
    const search = await praxis.request("GET", "/api/v1/communities?q=hidden", {
      token: outsider.token,
    });
    expect(search.body.items).toEqual([]);
    const mine = await praxis.request("GET", "/api/v1/communities?q=hidden", {
      token: owner.token,
    });
    expect(mine.body.items.map((c: { ref: string }) => c.ref)).toEqual(["hidden-circle"]);
    const join = await praxis.request("POST", "/api/v1/communities/hidden-circle/join", {
      token: outsider.token,
    });
    expect(join.status).toBe(404);
  });

  it("walks the directory page by page without gaps or repeats", async () => {
    const fresh = await startTestInstance();
    try {
      const founder = await fresh.signUp("founder");
      const slugs = Array.from({ length: 7 }, (_, i) => `page-${i}`);
      for (const slug of slugs) {
        await fresh.request("POST", "/api/v1/communities", {
          token: founder.token,
          body: { slug, name: slug, privacy: "open" },
        });
      }
      const seen: string[] = [];
      let next: string | null = null;
      do {
        const query: string = next ? `&cursor=${next}` : "";
        const page = await fresh.request("GET", `/api/v1/communities?limit=3${query}`);
        expect(page.body.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.body.items.map((c: { ref: string }) => c.ref));
        next = page.body.next;
      } while (next);
      expect(seen).toEqual([...slugs].reverse());
      const tooMany = await fresh.request("GET", "/api/v1/communities?limit=1000");
      expect(tooMany.status).toBe(400);
    } finally {
      await fresh.close();
    }
  });

  it("makes working groups under a parent that only its admins can create", async () => {
    await create({ slug: "social-protection", name: "Social protection", privacy: "open" });
    const refused = await create(
      { slug: "sp-cash", name: "Cash transfers", privacy: "open", parent: "social-protection" },
      outsider.token,
    );
    expect(refused.status).toBe(403);
    const group = await create({
      slug: "sp-cash",
      name: "Cash transfers",
      privacy: "open",
      parent: "social-protection",
    });
    expect(group.status).toBe(201);
    expect(group.body.parent).toBe("social-protection");
    const nested = await create({
      slug: "sp-cash-sub",
      name: "Nested",
      privacy: "open",
      parent: "sp-cash",
    });
    expect(nested.status).toBe(422);
    expect(nested.body.error.code).toBe("parent_not_allowed");
    const groups = await praxis.request("GET", "/api/v1/communities?parent=social-protection");
    expect(groups.body.items.map((c: { ref: string }) => c.ref)).toEqual(["sp-cash"]);
    const topLevel = await praxis.request("GET", "/api/v1/communities?limit=100");
    expect(topLevel.body.items.map((c: { ref: string }) => c.ref)).not.toContain("sp-cash");
  });

  it("accepts a ref with this instance's host and does not find other hosts' communities yet", async () => {
    expect(
      (await praxis.request("GET", "/api/v1/communities/gender-sp@praxis.test")).body.ref,
    ).toBe("gender-sp");
    expect((await praxis.request("GET", "/api/v1/communities/spec@hub.example.org")).status).toBe(
      404,
    );
  });
});
