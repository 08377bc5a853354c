import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestInstance, type TestInstance } from "../support/instance.ts";

interface MemberItem {
  id: string;
  account: {
    id: string;
    username: string;
    profession: string;
    country: string;
    organisation: string;
  };
  role: string;
  state: string;
  message?: string;
  decisionReason?: string;
}

interface AuditItem {
  action: string;
  actor: string | null;
  target: string | null;
  details: Record<string, unknown>;
}

describe("membership", () => {
  let praxis: TestInstance;
  let owner: Person;

  beforeAll(async () => {
    praxis = await startTestInstance();
    owner = await praxis.signUp("owner");
  });
  afterAll(() => praxis.close());

  const createCommunity = async (
    slug: string,
    privacy: string,
    extra: Record<string, unknown> = {},
    by: Person = owner,
  ) => {
    const created = await praxis.request("POST", "/api/v1/communities", {
      token: by.token,
      body: { slug, name: `Community ${slug}`, privacy, ...extra },
    });
    expect(created.status).toBe(201);
    return created.body;
  };
  const join = (slug: string, person: Person, message?: string) =>
    praxis.request("POST", `/api/v1/communities/${slug}/join`, {
      token: person.token,
      body: message === undefined ? {} : { message },
    });
  const leave = (slug: string, person: Person) =>
    praxis.request("POST", `/api/v1/communities/${slug}/leave`, { token: person.token });
  const members = (slug: string, query = "", by: Person = owner) =>
    praxis.request("GET", `/api/v1/communities/${slug}/members?limit=100${query}`, {
      token: by.token,
    });
  const membershipOf = async (slug: string, person: Person, state = "active") => {
    const list = await members(slug, `&state=${state}`);
    expect(list.status).toBe(200);
    return (list.body.items as MemberItem[]).find((m) => m.account.id === person.id);
  };
  const usernamesIn = async (slug: string, state = "active") => {
    const list = await members(slug, `&state=${state}`);
    expect(list.status).toBe(200);
    return (list.body.items as MemberItem[]).map((m) => m.account.username);
  };
  const viewerOf = async (slug: string, person: Person) =>
    (await praxis.request("GET", `/api/v1/communities/${slug}`, { token: person.token })).body
      .viewer;
  const decide = (slug: string, id: string, kind: "approve" | "reject", reason?: string) =>
    praxis.request("POST", `/api/v1/communities/${slug}/members/${id}/${kind}`, {
      token: owner.token,
      body: reason === undefined ? {} : { reason },
    });
  const patchMember = (slug: string, id: string, body: unknown, by: Person = owner) =>
    praxis.request("PATCH", `/api/v1/communities/${slug}/members/${id}`, { token: by.token, body });
  const deleteMember = (slug: string, id: string, by: Person = owner) =>
    praxis.request("DELETE", `/api/v1/communities/${slug}/members/${id}`, { token: by.token });
  /** Makes `person` an active member of an open or public community and returns the membership id. */
  const activeMember = async (slug: string, person: Person) => {
    expect((await join(slug, person)).body.state).toBe("active");
    const membership = await membershipOf(slug, person);
    if (!membership) throw new Error(`${person.username} is not a member of ${slug}`);
    return membership.id;
  };
  /** Puts `person` in a semi-private community's queue and returns the membership id. */
  const pendingRequest = async (slug: string, person: Person, message = "I would like to join") => {
    expect((await join(slug, person, message)).body.state).toBe("pending");
    const request = await membershipOf(slug, person, "pending");
    if (!request) throw new Error(`${person.username} has no pending request in ${slug}`);
    return request.id;
  };
  const mailsTo = async (person: Person) =>
    (await praxis.mails()).filter((m) => m.to === `${person.username.toLowerCase()}@example.org`);

  describe("joining", () => {
    it("admits a person to an open community at once", async () => {
      await createCommunity("join-open", "open");
      const walker = await praxis.signUp("open_walker");
      const joined = await join("join-open", walker);
      expect(joined.status).toBe(200);
      expect(joined.body.state).toBe("active");
      expect(await viewerOf("join-open", walker)).toEqual({ state: "active", role: "member" });
    });

    it("admits a person to a public community at once", async () => {
      await createCommunity("join-public", "public");
      const walker = await praxis.signUp("public_walker");
      const joined = await join("join-public", walker);
      expect(joined.status).toBe(200);
      expect(joined.body.state).toBe("active");
      expect(await usernamesIn("join-public")).toContain("public_walker");
    });

    it("queues a request to a semi-private community as pending, with the requester's message", async () => {
      await createCommunity("join-semi", "semi_private");
      const asker = await praxis.signUp("semi_asker");
      const asked = await join("join-semi", asker, "I coordinate cash transfers in Tamale");
      expect(asked.status).toBe(200);
      expect(asked.body.state).toBe("pending");
      expect(await viewerOf("join-semi", asker)).toEqual({ state: "pending", role: "member" });
      expect(await membershipOf("join-semi", asker, "pending")).toMatchObject({
        state: "pending",
        message: "I coordinate cash transfers in Tamale",
      });
      expect(await usernamesIn("join-semi")).not.toContain("semi_asker");
    });

    it("requires a message when a semi-private community states eligibility conditions", async () => {
      await createCommunity("join-eligible", "semi_private", {
        eligibility: "Tell us how you work on social protection",
      });
      const silent = await praxis.signUp("silent_asker");
      const refused = await join("join-eligible", silent);
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe("message_required");
      const blank = await join("join-eligible", silent, "   ");
      expect(blank.status).toBe(422);
      expect(blank.body.error.code).toBe("message_required");
      expect(await membershipOf("join-eligible", silent, "pending")).toBeUndefined();
      expect(await viewerOf("join-eligible", silent)).toBeNull();
    });

    it("refuses to let anyone into a private community without an invitation", async () => {
      await createCommunity("join-private", "private");
      const stranger = await praxis.signUp("private_stranger");
      const refused = await join("join-private", stranger, "Please let me in");
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe("invitation_required");
      expect(await viewerOf("join-private", stranger)).toBeNull();
    });

    it("refuses new members in an archived community", async () => {
      await createCommunity("join-archived", "open");
      const archived = await praxis.request("PATCH", "/api/v1/communities/join-archived", {
        token: owner.token,
        body: { archived: true },
      });
      expect(archived.body.archived).toBe(true);
      const late = await praxis.signUp("archive_latecomer");
      const refused = await join("join-archived", late);
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe("community_archived");
      expect(await usernamesIn("join-archived")).toEqual(["owner"]);
    });
  });

  describe("the pending queue", () => {
    it("shows admins each requester's message and profile", async () => {
      await createCommunity("queue-shown", "semi_private");
      const asker = await praxis.signUp("queue_asker", {
        profession: "Statistician",
        country: "Kenya",
        organisation: "KNBS",
      });
      await join("queue-shown", asker, "I run the household survey");
      const queue = await members("queue-shown", "&state=pending");
      expect(queue.status).toBe(200);
      expect(queue.body.items).toHaveLength(1);
      expect(queue.body.items[0]).toMatchObject({
        state: "pending",
        message: "I run the household survey",
        account: {
          username: "queue_asker",
          profession: "Statistician",
          country: "Kenya",
          organisation: "KNBS",
        },
      });
    });

    it("keeps the pending queue from plain members", async () => {
      await createCommunity("queue-closed", "semi_private");
      const member = await praxis.signUp("queue_plain_member");
      const requestId = await pendingRequest("queue-closed", member);
      expect((await decide("queue-closed", requestId, "approve")).status).toBe(200);
      const asker = await praxis.signUp("queue_other_asker");
      await pendingRequest("queue-closed", asker, "A private reason");
      const refused = await members("queue-closed", "&state=pending", member);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe("admin_only");
      expect(JSON.stringify(refused.body)).not.toContain("A private reason");
    });
  });

  describe("decisions", () => {
    it("approves a request: the person becomes active, the member count grows and they are told by e-mail", async () => {
      await createCommunity("decide-approve", "semi_private");
      const asker = await praxis.signUp("approved_asker");
      const requestId = await pendingRequest("decide-approve", asker);
      const before = await praxis.request("GET", "/api/v1/communities/decide-approve", {
        token: owner.token,
      });
      expect(before.body.memberCount).toBe(1);
      const approved = await decide("decide-approve", requestId, "approve");
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ id: requestId, state: "active", role: "member" });
      expect(await viewerOf("decide-approve", asker)).toEqual({ state: "active", role: "member" });
      const after = await praxis.request("GET", "/api/v1/communities/decide-approve", {
        token: owner.token,
      });
      expect(after.body.memberCount).toBe(2);
      const [mail] = await mailsTo(asker);
      expect(mail?.subject).toContain("Community decide-approve");
      expect(mail?.text).toContain("was approved");
    });

    it("rejects a request with a reason that the requester receives by e-mail", async () => {
      await createCommunity("decide-reject", "semi_private");
      const asker = await praxis.signUp("rejected_asker");
      const requestId = await pendingRequest("decide-reject", asker);
      const rejected = await decide(
        "decide-reject",
        requestId,
        "reject",
        "Please apply through your ministry focal point",
      );
      expect(rejected.status).toBe(200);
      expect(rejected.body).toMatchObject({
        state: "rejected",
        decisionReason: "Please apply through your ministry focal point",
      });
      expect(await viewerOf("decide-reject", asker)).toMatchObject({ state: "rejected" });
      const [mail] = await mailsTo(asker);
      expect(mail?.text).toContain("was not approved");
      expect(mail?.text).toContain("Please apply through your ministry focal point");
      expect(mail?.text).not.toContain("was approved");
    });

    it("refuses to decide a request that was already decided", async () => {
      await createCommunity("decide-twice", "semi_private");
      const approvedAsker = await praxis.signUp("twice_approved");
      const approvedId = await pendingRequest("decide-twice", approvedAsker);
      expect((await decide("decide-twice", approvedId, "approve")).status).toBe(200);
      const again = await decide("decide-twice", approvedId, "approve");
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe("already_decided");
      const rejectedAsker = await praxis.signUp("twice_rejected");
      const rejectedId = await pendingRequest("decide-twice", rejectedAsker);
      expect((await decide("decide-twice", rejectedId, "reject", "No")).status).toBe(200);
      const overturned = await decide("decide-twice", rejectedId, "approve");
      expect(overturned.status).toBe(409);
      expect(overturned.body.error.code).toBe("already_decided");
      expect(await viewerOf("decide-twice", rejectedAsker)).toMatchObject({ state: "rejected" });
    });

    it("lets a rejected person ask again", async () => {
      await createCommunity("decide-retry", "semi_private");
      const asker = await praxis.signUp("retry_asker");
      const requestId = await pendingRequest("decide-retry", asker, "First try");
      await decide("decide-retry", requestId, "reject", "Not yet");
      const retried = await join("decide-retry", asker, "Second try, with my ministry's letter");
      expect(retried.status).toBe(200);
      expect(retried.body.state).toBe("pending");
      expect(await membershipOf("decide-retry", asker, "pending")).toMatchObject({
        message: "Second try, with my ministry's letter",
        decisionReason: "",
      });
    });
  });

  describe("bans", () => {
    it("bans a person: they cannot ask again, vanish from the member list and leave the working groups", async () => {
      await createCommunity("ban-parent", "open");
      await createCommunity("ban-group", "open", { parent: "ban-parent" });
      const troll = await praxis.signUp("banned_troll");
      const membershipId = await activeMember("ban-parent", troll);
      expect((await join("ban-group", troll)).body.state).toBe("active");
      const banned = await patchMember("ban-parent", membershipId, {
        state: "banned",
        reason: "Harassment",
      });
      expect(banned.status).toBe(200);
      expect(banned.body.state).toBe("banned");
      expect(await usernamesIn("ban-parent")).not.toContain("banned_troll");
      expect(await usernamesIn("ban-group")).not.toContain("banned_troll");
      expect(await viewerOf("ban-group", troll)).toBeNull();
      expect(await membershipOf("ban-parent", troll, "banned")).toMatchObject({
        decisionReason: "Harassment",
      });
      const again = await join("ban-parent", troll);
      expect(again.status).toBe(403);
      expect(again.body.error.code).toBe("banned");
      const group = await join("ban-group", troll);
      expect(group.status).toBe(403);
      expect(group.body.error.code).toBe("parent_membership_required");
    });

    it("lifts a ban with DELETE so the person may ask again", async () => {
      await createCommunity("ban-lifted", "semi_private");
      const person = await praxis.signUp("forgiven_person");
      const requestId = await pendingRequest("ban-lifted", person);
      await decide("ban-lifted", requestId, "approve");
      expect((await patchMember("ban-lifted", requestId, { state: "banned" })).status).toBe(200);
      expect((await join("ban-lifted", person, "Sorry")).body.error.code).toBe("banned");
      const lifted = await deleteMember("ban-lifted", requestId);
      expect(lifted.status).toBe(204);
      expect(await membershipOf("ban-lifted", person, "banned")).toBeUndefined();
      const asked = await join("ban-lifted", person, "I have read the principles");
      expect(asked.status).toBe(200);
      expect(asked.body.state).toBe("pending");
    });
  });

  describe("removal and working groups", () => {
    it("removes a member from the community", async () => {
      await createCommunity("remove-one", "public");
      const person = await praxis.signUp("removed_person");
      const membershipId = await activeMember("remove-one", person);
      const removed = await deleteMember("remove-one", membershipId);
      expect(removed.status).toBe(204);
      expect(await usernamesIn("remove-one")).not.toContain("removed_person");
      expect(await viewerOf("remove-one", person)).toBeNull();
      const community = await praxis.request("GET", "/api/v1/communities/remove-one", {
        token: owner.token,
      });
      expect(community.body.memberCount).toBe(1);
    });

    it("lets only active members of the parent join a working group", async () => {
      await createCommunity("wg-parent", "semi_private");
      await createCommunity("wg-child", "open", { parent: "wg-parent" });
      const outsider = await praxis.signUp("wg_outsider");
      const refused = await join("wg-child", outsider);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe("parent_membership_required");
      const requestId = await pendingRequest("wg-parent", outsider);
      const stillPending = await join("wg-child", outsider);
      expect(stillPending.status).toBe(403);
      expect(stillPending.body.error.code).toBe("parent_membership_required");
      await decide("wg-parent", requestId, "approve");
      const joined = await join("wg-child", outsider);
      expect(joined.status).toBe(200);
      expect(joined.body.state).toBe("active");
    });

    it("takes a person removed from the parent out of its working groups too", async () => {
      await createCommunity("remove-parent", "open");
      await createCommunity("remove-group", "open", { parent: "remove-parent" });
      const person = await praxis.signUp("removed_everywhere");
      const membershipId = await activeMember("remove-parent", person);
      expect((await join("remove-group", person)).body.state).toBe("active");
      expect((await deleteMember("remove-parent", membershipId)).status).toBe(204);
      expect(await usernamesIn("remove-parent")).not.toContain("removed_everywhere");
      expect(await usernamesIn("remove-group")).not.toContain("removed_everywhere");
      expect(await viewerOf("remove-group", person)).toBeNull();
    });
  });

  describe("leaving", () => {
    it("takes a person who leaves the parent out of its working groups too", async () => {
      await createCommunity("leave-parent", "open");
      await createCommunity("leave-group", "open", { parent: "leave-parent" });
      const person = await praxis.signUp("leaver");
      await activeMember("leave-parent", person);
      expect((await join("leave-group", person)).body.state).toBe("active");
      const left = await leave("leave-parent", person);
      expect(left.status).toBe(204);
      expect(await viewerOf("leave-parent", person)).toBeNull();
      expect(await viewerOf("leave-group", person)).toBeNull();
      expect(await usernamesIn("leave-group")).not.toContain("leaver");
    });

    it("keeps the last owner from leaving until another owner is named", async () => {
      const founder = await praxis.signUp("lonely_founder");
      await createCommunity("leave-owner", "open", {}, founder);
      const refused = await leave("leave-owner", founder);
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe("last_owner");
      const successor = await praxis.signUp("successor");
      const successorId = await activeMember("leave-owner", successor);
      expect((await leave("leave-owner", founder)).body.error.code).toBe("last_owner");
      const named = await patchMember("leave-owner", successorId, { role: "owner" }, founder);
      expect(named.status).toBe(200);
      expect(named.body.role).toBe("owner");
      expect((await leave("leave-owner", founder)).status).toBe(204);
      expect(await viewerOf("leave-owner", founder)).toBeNull();
      expect(await viewerOf("leave-owner", successor)).toEqual({ state: "active", role: "owner" });
    });
  });

  describe("roles", () => {
    it("lets an admin make a member a moderator", async () => {
      await createCommunity("roles-moderator", "open");
      const admin = await praxis.signUp("roles_admin");
      const adminId = await activeMember("roles-moderator", admin);
      expect((await patchMember("roles-moderator", adminId, { role: "admin" })).status).toBe(200);
      const member = await praxis.signUp("roles_new_moderator");
      const memberId = await activeMember("roles-moderator", member);
      const promoted = await patchMember("roles-moderator", memberId, { role: "moderator" }, admin);
      expect(promoted.status).toBe(200);
      expect(promoted.body.role).toBe("moderator");
      expect(await viewerOf("roles-moderator", member)).toEqual({
        state: "active",
        role: "moderator",
      });
    });

    it("does not let an admin change an owner's role nor grant ownership", async () => {
      await createCommunity("roles-ceiling", "open");
      const admin = await praxis.signUp("ceiling_admin");
      const adminId = await activeMember("roles-ceiling", admin);
      await patchMember("roles-ceiling", adminId, { role: "admin" });
      const ownerId = (await membershipOf("roles-ceiling", owner))?.id ?? "";
      const demote = await patchMember("roles-ceiling", ownerId, { role: "member" }, admin);
      expect(demote.status).toBe(403);
      expect(demote.body.error.code).toBe("insufficient_role");
      const member = await praxis.signUp("ceiling_member");
      const memberId = await activeMember("roles-ceiling", member);
      const crown = await patchMember("roles-ceiling", memberId, { role: "owner" }, admin);
      expect(crown.status).toBe(403);
      expect(crown.body.error.code).toBe("insufficient_role");
      const selfCrown = await patchMember("roles-ceiling", adminId, { role: "owner" }, admin);
      expect(selfCrown.status).toBe(403);
      expect(selfCrown.body.error.code).toBe("insufficient_role");
      expect(await viewerOf("roles-ceiling", owner)).toEqual({ state: "active", role: "owner" });
      expect(await viewerOf("roles-ceiling", member)).toEqual({ state: "active", role: "member" });
      expect(await viewerOf("roles-ceiling", admin)).toEqual({ state: "active", role: "admin" });
    });

    it("does not let the last owner be demoted", async () => {
      await createCommunity("roles-last-owner", "open");
      const ownerId = (await membershipOf("roles-last-owner", owner))?.id ?? "";
      const demoted = await patchMember("roles-last-owner", ownerId, { role: "admin" });
      expect(demoted.status).toBe(422);
      expect(demoted.body.error.code).toBe("last_owner");
      expect(await viewerOf("roles-last-owner", owner)).toEqual({ state: "active", role: "owner" });
    });

    it("does not let anyone ban or remove themselves", async () => {
      await createCommunity("roles-self", "open");
      const admin = await praxis.signUp("self_admin");
      const adminId = await activeMember("roles-self", admin);
      await patchMember("roles-self", adminId, { role: "admin" });
      const selfBan = await patchMember("roles-self", adminId, { state: "banned" }, admin);
      expect(selfBan.status).toBe(422);
      expect(selfBan.body.error.code).toBe("cannot_manage_self");
      const selfRemove = await deleteMember("roles-self", adminId, admin);
      expect(selfRemove.status).toBe(422);
      expect(selfRemove.body.error.code).toBe("cannot_manage_self");
      const ownerId = (await membershipOf("roles-self", owner))?.id ?? "";
      const ownerSelfBan = await patchMember("roles-self", ownerId, { state: "banned" });
      expect(ownerSelfBan.status).toBe(422);
      expect(ownerSelfBan.body.error.code).toBe("cannot_manage_self");
      const ownerSelfRemove = await deleteMember("roles-self", ownerId);
      expect(ownerSelfRemove.status).toBe(422);
      expect(ownerSelfRemove.body.error.code).toBe("cannot_manage_self");
      expect(await viewerOf("roles-self", admin)).toEqual({ state: "active", role: "admin" });
      expect(await viewerOf("roles-self", owner)).toEqual({ state: "active", role: "owner" });
    });
  });

  describe("audit log", () => {
    it("records approvals, rejections with their reason, role changes, bans, removals and invitations", async () => {
      await createCommunity("audited", "semi_private");
      const approved = await praxis.signUp("audit_approved");
      const approvedId = await pendingRequest("audited", approved);
      await decide("audited", approvedId, "approve");
      const rejected = await praxis.signUp("audit_rejected");
      const rejectedId = await pendingRequest("audited", rejected);
      await decide("audited", rejectedId, "reject", "Outside our region");
      expect((await patchMember("audited", approvedId, { role: "moderator" })).status).toBe(200);
      const banned = await praxis.signUp("audit_banned");
      const bannedId = await pendingRequest("audited", banned);
      await decide("audited", bannedId, "approve");
      expect(
        (await patchMember("audited", bannedId, { state: "banned", reason: "Spam" })).status,
      ).toBe(200);
      const removed = await praxis.signUp("audit_removed");
      const removedId = await pendingRequest("audited", removed);
      await decide("audited", removedId, "approve");
      expect((await deleteMember("audited", removedId)).status).toBe(204);
      const invited = await praxis.signUp("audit_invited");
      const invitation = await praxis.request("POST", "/api/v1/communities/audited/invitations", {
        token: owner.token,
        body: { handle: "audit_invited" },
      });
      expect(invitation.status).toBe(201);

      const log = await praxis.request("GET", "/api/v1/communities/audited/audit?limit=100", {
        token: owner.token,
      });
      expect(log.status).toBe(200);
      const entries = log.body.items as AuditItem[];
      const entry = (action: string, target: string) =>
        entries.find((e) => e.action === action && e.target === target);
      expect(entry("request_approved", "audit_approved")).toMatchObject({ actor: "owner" });
      expect(entry("request_rejected", "audit_rejected")).toMatchObject({
        actor: "owner",
        details: { reason: "Outside our region" },
      });
      expect(entry("role_changed", "audit_approved")).toMatchObject({
        actor: "owner",
        details: { from: "member", to: "moderator" },
      });
      expect(entry("member_banned", "audit_banned")).toMatchObject({
        actor: "owner",
        details: { reason: "Spam" },
      });
      expect(entry("member_removed", "audit_removed")).toMatchObject({ actor: "owner" });
      expect(entry("invitation_sent", invited.username)).toMatchObject({ actor: "owner" });
    });

    it("keeps the audit log from plain members", async () => {
      await createCommunity("audit-closed", "open");
      const member = await praxis.signUp("audit_plain_member");
      await activeMember("audit-closed", member);
      const refused = await praxis.request("GET", "/api/v1/communities/audit-closed/audit", {
        token: member.token,
      });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe("admin_only");
      const allowed = await praxis.request("GET", "/api/v1/communities/audit-closed/audit", {
        token: owner.token,
      });
      expect(allowed.status).toBe(200);
    });
  });

  describe("pagination", () => {
    it("walks the member list two at a time without duplicates or gaps", async () => {
      await createCommunity("paged", "open");
      const expected = ["owner"];
      for (const name of ["page_a", "page_b", "page_c", "page_d", "page_e", "page_f"]) {
        await activeMember("paged", await praxis.signUp(name));
        expected.push(name);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
        const page = await praxis.request(
          "GET",
          `/api/v1/communities/paged/members?limit=2${query}`,
          {
            token: owner.token,
          },
        );
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...(page.body.items as MemberItem[]).map((m) => m.account.username));
        cursor = page.body.next;
        pages += 1;
      } while (cursor && pages < 10);
      expect(seen.filter((name, index) => seen.indexOf(name) !== index)).toEqual([]);
      expect([...seen].sort()).toEqual([...expected].sort());
      expect(pages).toBe(4);
    });

    it("refuses a garbage cursor with 400", async () => {
      await createCommunity("paged-garbage", "open");
      const garbage = await praxis.request(
        "GET",
        "/api/v1/communities/paged-garbage/members?limit=2&cursor=not-a-real-cursor",
        { token: owner.token },
      );
      expect(garbage.status).toBe(400);
      expect(garbage.body.error.code).toBe("invalid_input");
    });
  });
});
