import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testPassword } from "../support/client.ts";
import { type Person, startTestInstance, type TestInstance } from "../support/instance.ts";

const details = { profession: "Midwife", organisation: "District clinic", country: "Kenya" };
const blank = { profession: "", organisation: "", country: "" };
const about = {
  bio: "I train community health workers.\n\nAsk me about newborn care.",
  languages: ["en", "sw", "pt-br"],
  expertise: ["Newborn  Care", "Child protection"],
  resourcePerson: true,
};

/**
 * A person's profile (issue 17): bio, languages, expertise and the offer to be a resource
 * person for everyone to see; profession, organisation and country as the person chose, on the
 * profile, in a community's member directory and in the finder of people, whose filters on a
 * hidden detail never match it.
 */
describe("profiles and finding people", () => {
  let praxis: TestInstance;
  let owner: Person;
  let member: Person;
  let outsider: Person;
  const people: Record<"everyone" | "members" | "admins", Person> = {} as never;
  const names = { everyone: "ann", members: "bo", admins: "cy" } as const;

  const as = (viewer: Person | null) => (viewer ? { token: viewer.token } : {});
  const detailsOf = (account: Record<string, unknown>) => ({
    profession: account.profession,
    organisation: account.organisation,
    country: account.country,
  });
  const usernames = (items: { username?: string; account?: { username: string } }[]) =>
    items.map((item) => item.account?.username ?? item.username).sort();

  beforeAll(async () => {
    praxis = await startTestInstance();
    owner = await praxis.signUp("owner");
    for (const [slug, name, privacy] of [
      ["commons", "Commons", "open"],
      ["quiet", "Quiet room", "semi_private"],
    ] as const) {
      const made = await praxis.request("POST", "/api/v1/communities", {
        token: owner.token,
        body: { slug, name, privacy },
      });
      expect(made.status).toBe(201);
    }
    for (const audience of ["everyone", "members", "admins"] as const) {
      people[audience] = await praxis.signUp(names[audience], {
        ...details,
        profileAudience: audience,
      });
      const changed = await praxis.request("PATCH", "/api/v1/me", {
        token: people[audience].token,
        body: about,
      });
      expect(changed.status).toBe(200);
    }
    member = await praxis.signUp("member", { ...details, profession: "Nurse" });
    outsider = await praxis.signUp("outsider");
    for (const person of [...Object.values(people), member]) {
      const joined = await praxis.request("POST", "/api/v1/communities/commons/join", as(person));
      expect(joined.body.state).toBe("active");
    }
    const asked = await praxis.request("POST", "/api/v1/communities/quiet/join", {
      ...as(people.members),
      body: { message: "May I join?" },
    });
    expect(asked.body.state).toBe("pending");
    const [request] = (
      await praxis.request("GET", "/api/v1/communities/quiet/members?state=pending", as(owner))
    ).body.items;
    const approved = await praxis.request(
      "POST",
      `/api/v1/communities/quiet/members/${request.id}/approve`,
      { ...as(owner), body: {} },
    );
    expect(approved.body.state).toBe("active");
  });
  afterAll(() => praxis.close());

  it("keeps the bio, languages and expertise, normalised, and shows them to their owner", async () => {
    const me = await praxis.request("GET", "/api/v1/me", as(people.everyone));
    expect(me.body).toMatchObject({
      bio: about.bio,
      languages: ["en", "sw", "pt-BR"],
      expertise: ["newborn care", "child protection"],
      resourcePerson: true,
    });
  });

  it("refuses a bio, expertise or language beyond the limits with a 400 that says why", async () => {
    for (const body of [
      { bio: "x".repeat(2001) },
      { expertise: Array.from({ length: 21 }, (_, index) => `topic ${index}`) },
      { expertise: ["y".repeat(61)] },
      { languages: ["not a language"] },
      { resourcePerson: "yes" },
    ]) {
      const refused = await praxis.request("PATCH", "/api/v1/me", {
        ...as(member),
        body,
      });
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error.code).toBe("invalid_input");
      expect(refused.body.error.message).toMatch(/valid/);
    }
  });

  it("shows a profile's details to each viewer as its person chose", async () => {
    const seen = async (audience: keyof typeof people, viewer: Person | null) => {
      const profile = await praxis.request(
        "GET",
        `/api/v1/accounts/${names[audience]}`,
        as(viewer),
      );
      expect(profile.status).toBe(200);
      return detailsOf(profile.body);
    };
    for (const viewer of [null, outsider]) {
      expect(await seen("everyone", viewer)).toEqual(details);
      expect(await seen("members", viewer)).toEqual(blank);
      expect(await seen("admins", viewer)).toEqual(blank);
    }
    expect(await seen("members", member)).toEqual(details);
    expect(await seen("admins", member)).toEqual(blank);
    expect(await seen("admins", owner)).toEqual(details);
    expect(await seen("admins", people.admins)).toEqual(details);
  });

  it("answers a profile with what everyone may see of the person, by either handle", async () => {
    const profile = await praxis.request("GET", "/api/v1/accounts/@bo@praxis.test");
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({
      username: "bo",
      handle: "@bo@praxis.test",
      uri: "http://praxis.test/actors/bo",
      bio: about.bio,
      languages: ["en", "sw", "pt-BR"],
      expertise: ["newborn care", "child protection"],
      resourcePerson: true,
    });
  });

  it("lists only the communities the viewer may read", async () => {
    const listed = async (viewer: Person | null) =>
      (await praxis.request("GET", "/api/v1/accounts/bo", as(viewer))).body.communities;
    expect(await listed(null)).toEqual([{ ref: "commons", name: "Commons" }]);
    expect(await listed(outsider)).toEqual([{ ref: "commons", name: "Commons" }]);
    expect(await listed(owner)).toEqual([
      { ref: "commons", name: "Commons" },
      { ref: "quiet", name: "Quiet room" },
    ]);
  });

  it("answers 404 for an unknown person, 410 for a deleted one, 400 for a malformed handle", async () => {
    expect((await praxis.request("GET", "/api/v1/accounts/nobody")).status).toBe(404);
    expect((await praxis.request("GET", "/api/v1/accounts/nobody@far.example")).status).toBe(404);
    const malformed = await praxis.request("GET", "/api/v1/accounts/bo%20bo");
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe("invalid_input");
    const leaving = await praxis.signUp("leaving");
    const deleted = await praxis.request("DELETE", "/api/v1/me", {
      ...as(leaving),
      body: { password: testPassword, content: "anonymise" },
    });
    expect(deleted.status).toBe(204);
    const gone = await praxis.request("GET", "/api/v1/accounts/leaving");
    expect(gone.status).toBe(410);
    expect(gone.body.error.code).toBe("account_gone");
  });

  describe("a community's member directory", () => {
    const directory = async (query: string, viewer: Person | null) => {
      const listed = await praxis.request(
        "GET",
        `/api/v1/communities/commons/members?${query}`,
        as(viewer),
      );
      expect(listed.status).toBe(200);
      return usernames(listed.body.items);
    };

    it("finds members by name, handle or expertise, and by expertise and language", async () => {
      expect(await directory("q=CY", null)).toEqual(["cy"]);
      expect(await directory("q=newborn", null)).toEqual(["ann", "bo", "cy"]);
      expect(await directory("expertise=Child%20Protection", null)).toEqual(["ann", "bo", "cy"]);
      expect(await directory("language=pt", null)).toEqual(["ann", "bo", "cy"]);
      expect(await directory("language=fr", null)).toEqual([]);
      // A profession is no name: words of it are found by its own filter only.
      expect(await directory("q=midwife", null)).toEqual([]);
    });

    it("never matches a country or profession the viewer may not see", async () => {
      // `member` shows everyone their details.
      expect(await directory("country=kenya", null)).toEqual(["ann", "member"]);
      expect(await directory("country=Kenya", outsider)).toEqual(["ann", "member"]);
      expect(await directory("country=Kenya", member)).toEqual(["ann", "bo", "member"]);
      expect(await directory("country=Kenya", owner)).toEqual(["ann", "bo", "cy", "member"]);
      expect(await directory("profession=midwi", null)).toEqual(["ann"]);
      expect(await directory("profession=midwi", owner)).toEqual(["ann", "bo", "cy"]);
    });

    it("refuses a filter longer than the API takes", async () => {
      const refused = await praxis.request(
        "GET",
        `/api/v1/communities/commons/members?q=${"z".repeat(201)}`,
      );
      expect(refused.status).toBe(400);
    });
  });

  describe("the finder of resource people", () => {
    const find = async (query: string, viewer: Person) => {
      const found = await praxis.request("GET", `/api/v1/people?${query}`, as(viewer));
      expect(found.status).toBe(200);
      return found.body;
    };

    it("is for people signed in", async () => {
      const refused = await praxis.request("GET", "/api/v1/people");
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe("not_signed_in");
    });

    it("lists those who offer to be resource people, or everyone when asked", async () => {
      expect(usernames((await find("", outsider)).items)).toEqual(["ann", "bo", "cy"]);
      expect(usernames((await find("resourcePeople=false&q=er", outsider)).items)).toEqual([
        "member",
        "outsider",
        "owner",
      ]);
      // A deleted account keeps its row, not its place among people.
      expect((await find("resourcePeople=false&q=leaving", outsider)).items).toEqual([]);
    });

    it("filters on a hidden country or profession only where the viewer meets the person", async () => {
      expect(usernames((await find("country=Kenya", outsider)).items)).toEqual(["ann"]);
      expect(usernames((await find("country=Kenya", member)).items)).toEqual(["ann", "bo"]);
      expect(usernames((await find("country=Kenya", owner)).items)).toEqual(["ann", "bo", "cy"]);
      const seenByMember = (await find("expertise=newborn care", member)).items;
      expect(seenByMember.map(detailsOf)).toEqual([details, details, blank]);
    });

    it("goes on page by page with the cursor it answers", async () => {
      const first = await find("limit=2", outsider);
      expect(first.items).toHaveLength(2);
      expect(first.next).toEqual(expect.any(String));
      const second = await find(`limit=2&cursor=${first.next}`, outsider);
      expect(usernames([...first.items, ...second.items])).toEqual(["ann", "bo", "cy"]);
      expect(second.next).toBeNull();
    });

    it("refuses a malformed cursor, limit or choice with a 400", async () => {
      for (const query of ["cursor=nonsense", "limit=0", "resourcePeople=maybe"]) {
        const refused = await praxis.request("GET", `/api/v1/people?${query}`, as(member));
        expect(refused.status, query).toBe(400);
      }
    });
  });
});
