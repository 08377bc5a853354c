import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestInstance, type TestInstance } from "../support/instance.ts";

const details = { profession: "Midwife", organisation: "District clinic", country: "Kenya" };
const blank = { profession: "", organisation: "", country: "" };

/**
 * Each person chooses who sees their profession, organisation and country: everyone, the
 * members of a community they are in, or its admins. Member lists, lookups, invitations and the
 * Person actor other servers read all follow the choice (issue 17).
 */
describe("who sees a person's profile details", () => {
  let praxis: TestInstance;
  let owner: Person;
  let member: Person;
  let outsider: Person;
  const people: Record<string, Person> = {};

  const detailsIn = async (viewer: Person | null) => {
    const listed = await praxis.request("GET", "/api/v1/communities/commons/members", {
      ...(viewer ? { token: viewer.token } : {}),
    });
    expect(listed.status).toBe(200);
    const byName = new Map<string, unknown>();
    for (const item of listed.body.items) {
      const { profession, organisation, country } = item.account;
      byName.set(item.account.username, { profession, organisation, country });
    }
    return Object.fromEntries(
      ["everyone_ann", "members_bo", "admins_cy"].map((name) => [name, byName.get(name)]),
    );
  };

  beforeAll(async () => {
    praxis = await startTestInstance();
    owner = await praxis.signUp("owner");
    const made = await praxis.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug: "commons", name: "Commons", summary: "", privacy: "open" },
    });
    expect(made.status).toBe(201);
    for (const audience of ["everyone", "members", "admins"]) {
      const name = { everyone: "everyone_ann", members: "members_bo", admins: "admins_cy" }[
        audience
      ] as string;
      people[audience] = await praxis.signUp(name, { ...details, profileAudience: audience });
    }
    member = await praxis.signUp("member");
    outsider = await praxis.signUp("outsider");
    for (const person of [...Object.values(people), member]) {
      const joined = await praxis.request("POST", "/api/v1/communities/commons/join", {
        token: person.token,
      });
      expect(joined.body.state).toBe("active");
    }
  });
  afterAll(() => praxis.close());

  it("shows a visitor and a non-member only what people show everyone", async () => {
    const expected = { everyone_ann: details, members_bo: blank, admins_cy: blank };
    expect(await detailsIn(null)).toEqual(expected);
    expect(await detailsIn(outsider)).toEqual(expected);
  });

  it("shows a member what people show members, and an admin everything", async () => {
    expect(await detailsIn(member)).toEqual({
      everyone_ann: details,
      members_bo: details,
      admins_cy: blank,
    });
    expect(await detailsIn(owner)).toEqual({
      everyone_ann: details,
      members_bo: details,
      admins_cy: details,
    });
  });

  it("keeps everyone as the default, and shows people their own details and choice", async () => {
    const me = await praxis.request("GET", "/api/v1/me", { token: member.token });
    expect(me.body.profileAudience).toBe("everyone");
    const own = await praxis.request("GET", "/api/v1/me", { token: people.admins?.token });
    expect(own.body).toMatchObject({ ...details, profileAudience: "admins" });
  });

  it("answers a lookup by handle with only what people show everyone", async () => {
    const lookUp = async (name: string) =>
      (
        await praxis.request("GET", `/api/v1/lookup?handle=${name}@praxis.test`, {
          token: outsider.token,
        })
      ).body.account;
    expect(await lookUp("everyone_ann")).toMatchObject(details);
    expect(await lookUp("members_bo")).toMatchObject(blank);
  });

  it("publishes the details to other servers only when everyone may see them", async () => {
    const actor = async (name: string) =>
      (
        await praxis.app.request(`/actors/${name}`, {
          headers: { accept: "application/activity+json" },
        })
      ).json() as Promise<Record<string, unknown>>;
    const open = JSON.stringify(await actor("everyone_ann"));
    const closed = JSON.stringify(await actor("members_bo"));
    for (const value of Object.values(details)) {
      expect(open).toContain(value);
      expect(closed).not.toContain(value);
    }
  });

  it("follows a change of mind at once", async () => {
    const changed = await praxis.request("PATCH", "/api/v1/me", {
      token: people.members?.token,
      body: { profileAudience: "everyone" },
    });
    expect(changed.status).toBe(200);
    expect((await detailsIn(null)).members_bo).toEqual(details);
  });
});
