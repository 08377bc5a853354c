import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestInstance, type TestInstance } from "../support/instance.ts";

describe("bad input gets a clear error and changes nothing", () => {
  let praxis: TestInstance;
  let owner: Person;

  beforeAll(async () => {
    praxis = await startTestInstance();
    owner = await praxis.signUp("owner");
  });
  afterAll(() => praxis.close());

  const communityCount = async () =>
    (await praxis.request("GET", "/api/v1/communities?limit=100&q=-")).body.items.length as number;

  it("answers malformed JSON with 400 malformed_json", async () => {
    const before = await communityCount();
    const answer = await praxis.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: '{"slug": "x",',
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({
      code: "malformed_json",
      message: "The request body is not valid JSON.",
    });
    expect(await communityCount()).toBe(before);
  });

  it("answers wrong types with 400 naming the field", async () => {
    const answer = await praxis.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug: "typed", name: 42, privacy: "open", hidden: "yes" },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details).toEqual(
      expect.arrayContaining([
        { field: "name", problem: "expected_string" },
        { field: "hidden", problem: "expected_boolean" },
      ]),
    );
    expect((await praxis.request("GET", "/api/v1/communities/typed")).status).toBe(404);
  });

  it("refuses fields it does not know rather than ignoring them", async () => {
    const answer = await praxis.request("POST", "/api/v1/accounts", {
      body: {
        username: "sneaky",
        email: "s@example.org",
        password: "a long enough password",
        isAdmin: true,
      },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details[0]).toMatchObject({ problem: "unknown_field" });
  });

  it("refuses a 10 MB body with 413 before reading it all", async () => {
    const huge = JSON.stringify({
      slug: "huge",
      name: "x".repeat(10 * 1024 * 1024),
      privacy: "open",
    });
    const answer = await praxis.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: huge,
    });
    expect(answer.status).toBe(413);
    expect(answer.body.error.code).toBe("payload_too_large");
    expect((await praxis.request("GET", "/api/v1/communities/huge")).status).toBe(404);
  });

  it("stores SQL and HTML in text fields as plain text", async () => {
    const name = "Robert'); DROP TABLE communities;-- <script>alert(1)</script>";
    const summary = `<img src=x onerror="alert(1)"> ' OR 1=1 --`;
    const created = await praxis.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug: "bobby-tables", name, summary, privacy: "open", eligibility: "<b>bold</b>" },
    });
    expect(created.status).toBe(201);
    const read = await praxis.request("GET", "/api/v1/communities/bobby-tables");
    expect(read.body).toMatchObject({ name, summary, eligibility: "<b>bold</b>" });
    const search = await praxis.request(
      "GET",
      `/api/v1/communities?q=${encodeURIComponent("' OR 1=1 --")}`,
    );
    expect(search.body.items.map((c: { ref: string }) => c.ref)).toEqual(["bobby-tables"]);
    const wildcard = await praxis.request(
      "GET",
      `/api/v1/communities?q=${encodeURIComponent("%")}`,
    );
    expect(wildcard.body.items).toEqual([]);
    const actor = await praxis.app.request("http://praxis.test/actors/bobby-tables", {
      headers: { accept: "application/activity+json" },
    });
    const document = await actor.json();
    expect(document.summary).toBe(
      "<p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &#39; OR 1=1 --</p>",
    );
  });

  it("answers an unknown path with a JSON 404 and never a stack trace", async () => {
    const answer = await praxis.request("GET", "/api/v1/nothing-here");
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe("not_found");
    const badId = await praxis.request("POST", "/api/v1/communities/x/members/not-a-uuid/approve", {
      token: owner.token,
    });
    expect(badId.status).toBe(400);
    expect(JSON.stringify(badId.body)).not.toMatch(/at .*\.ts:\d+/);
  });
});
