import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestInstance, type TestInstance } from "../support/instance.ts";

describe("membership decisions", () => {
  let praxis: TestInstance;
  let owner: Person;

  beforeAll(async () => {
    praxis = await startTestInstance();
    owner = await praxis.signUp("owner");
  });
  afterAll(() => praxis.close());

  const community = async (slug: string, body: Record<string, unknown> = {}) => {
    const created = await praxis.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug, name: slug, privacy: "semi_private", ...body },
    });
    expect(created.status).toBe(201);
  };
  const join = (slug: string, person: Person, message?: string) =>
    praxis.request("POST", `/api/v1/communities/${slug}/join`, {
      token: person.token,
      body: message ? { message } : {},
    });
  const membershipOf = async (slug: string, person: Person, state = "active") => {
    const list = await praxis.request(
      "GET",
      `/api/v1/communities/${slug}/members?state=${state}&limit=100`,
      {
        token: owner.token,
      },
    );
    return list.body.items.find((m: { account: { id: string } }) => m.account.id === person.id);
  };

  it("shows the admins the request's message and profile, rejects it with a reason the requester is told, and lets them ask again", async () => {
    await community("evidence", { eligibility: "Tell us about your work on social protection" });
    const applicant = await praxis.signUp("applicant", {
      profession: "Statistician",
      country: "Kenya",
      organisation: "KNBS",
    });
    expect((await join("evidence", applicant)).body.error.code).toBe("message_required");
    expect((await join("evidence", applicant, "I run the household survey")).body.state).toBe(
      "pending",
    );
    const pending = await membershipOf("evidence", applicant, "pending");
    expect(pending).toMatchObject({
      message: "I run the household survey",
      account: { profession: "Statistician", country: "Kenya", organisation: "KNBS" },
    });
    const rejected = await praxis.request(
      "POST",
      `/api/v1/communities/evidence/members/${pending.id}/reject`,
      {
        token: owner.token,
        body: { reason: "Please apply through your ministry focal point" },
      },
    );
    expect(rejected.body).toMatchObject({
      state: "rejected",
      decisionReason: "Please apply through your ministry focal point",
    });
    const mail = (await praxis.mails()).find((m) => m.to === "applicant@example.org");
    expect(mail?.text).toContain("Please apply through your ministry focal point");
    const twice = await praxis.request(
      "POST",
      `/api/v1/communities/evidence/members/${pending.id}/approve`,
      {
        token: owner.token,
      },
    );
    expect(twice.status).toBe(409);
    expect((await join("evidence", applicant, "Now through the focal point")).body.state).toBe(
      "pending",
    );
  });

  it("bans a person from the community and its working groups until the ban is lifted", async () => {
    await community("nutrition", { privacy: "open" });
    await community("nutrition-data", { privacy: "open", parent: "nutrition" });
    const troll = await praxis.signUp("troll");
    await join("nutrition", troll);
    await join("nutrition-data", troll);
    const member = await membershipOf("nutrition", troll);
    const banned = await praxis.request(
      "PATCH",
      `/api/v1/communities/nutrition/members/${member.id}`,
      {
        token: owner.token,
        body: { state: "banned", reason: "Spam" },
      },
    );
    expect(banned.body.state).toBe("banned");
    expect(await membershipOf("nutrition-data", troll)).toBeUndefined();
    expect((await join("nutrition", troll)).body.error.code).toBe("banned");
    expect((await join("nutrition-data", troll)).body.error.code).toBe(
      "parent_membership_required",
    );
    const lifted = await praxis.request(
      "DELETE",
      `/api/v1/communities/nutrition/members/${member.id}`,
      {
        token: owner.token,
      },
    );
    expect(lifted.status).toBe(204);
    expect((await join("nutrition", troll)).body.state).toBe("active");
  });

  it("takes a person who leaves or is removed from the parent out of its working groups", async () => {
    await community("health", { privacy: "open" });
    await community("health-finance", { privacy: "open", parent: "health" });
    const leaver = await praxis.signUp("leaver");
    const removed = await praxis.signUp("removed_one");
    for (const person of [leaver, removed]) {
      await join("health", person);
      expect((await join("health-finance", person)).body.state).toBe("active");
    }
    expect(
      (await praxis.request("POST", "/api/v1/communities/health/leave", { token: leaver.token }))
        .status,
    ).toBe(204);
    const membership = await membershipOf("health", removed);
    await praxis.request("DELETE", `/api/v1/communities/health/members/${membership.id}`, {
      token: owner.token,
    });
    for (const person of [leaver, removed])
      expect(await membershipOf("health-finance", person)).toBeUndefined();
  });

  it("keeps an owner: the last one can neither leave nor step down until a successor is named", async () => {
    await community("succession", { privacy: "open" });
    const successor = await praxis.signUp("successor");
    await join("succession", successor);
    const ownerMembership = await membershipOf("succession", owner);
    const leave = await praxis.request("POST", "/api/v1/communities/succession/leave", {
      token: owner.token,
    });
    expect(leave.body.error.code).toBe("last_owner");
    const demote = await praxis.request(
      "PATCH",
      `/api/v1/communities/succession/members/${ownerMembership.id}`,
      {
        token: owner.token,
        body: { role: "member" },
      },
    );
    expect(demote.body.error.code).toBe("last_owner");
    const successorMembership = await membershipOf("succession", successor);
    await praxis.request(
      "PATCH",
      `/api/v1/communities/succession/members/${successorMembership.id}`,
      {
        token: owner.token,
        body: { role: "owner" },
      },
    );
    expect(
      (await praxis.request("POST", "/api/v1/communities/succession/leave", { token: owner.token }))
        .status,
    ).toBe(204);
  });

  it("lets admins manage only the people ranked below them, and nobody act on themselves", async () => {
    await community("roles", { privacy: "open" });
    const admin = await praxis.signUp("roles_admin");
    const member = await praxis.signUp("roles_member");
    await join("roles", admin);
    await join("roles", member);
    const adminMembership = await membershipOf("roles", admin);
    await praxis.request("PATCH", `/api/v1/communities/roles/members/${adminMembership.id}`, {
      token: owner.token,
      body: { role: "admin" },
    });
    const memberMembership = await membershipOf("roles", member);
    const promoted = await praxis.request(
      "PATCH",
      `/api/v1/communities/roles/members/${memberMembership.id}`,
      {
        token: admin.token,
        body: { role: "moderator" },
      },
    );
    expect(promoted.body.role).toBe("moderator");
    const tooHigh = await praxis.request(
      "PATCH",
      `/api/v1/communities/roles/members/${memberMembership.id}`,
      {
        token: admin.token,
        body: { role: "owner" },
      },
    );
    expect(tooHigh.body.error.code).toBe("insufficient_role");
    const ownerMembership = await membershipOf("roles", owner);
    const onOwner = await praxis.request(
      "PATCH",
      `/api/v1/communities/roles/members/${ownerMembership.id}`,
      {
        token: admin.token,
        body: { state: "banned" },
      },
    );
    expect(onOwner.status).toBe(403);
    const self = await praxis.request(
      "DELETE",
      `/api/v1/communities/roles/members/${adminMembership.id}`,
      {
        token: admin.token,
      },
    );
    expect(self.body.error.code).toBe("cannot_manage_self");
    const audit = await praxis.request("GET", "/api/v1/communities/roles/audit", {
      token: owner.token,
    });
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual([
      "role_changed",
      "role_changed",
      "community_created",
    ]);
    expect(audit.body.items[0]).toMatchObject({
      actor: "roles_admin",
      target: "roles_member",
      details: { to: "moderator" },
    });
    const notAdmin = await praxis.request("GET", "/api/v1/communities/roles/audit", {
      token: member.token,
    });
    expect(notAdmin.status).toBe(403);
  });
});
