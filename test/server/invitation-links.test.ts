import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invitations } from "../../db/schema/invitations.ts";
import { signToken } from "../../server/services/tokens.ts";
import { type Person, startTestInstance, type TestInstance } from "../support/instance.ts";

describe("invitations", () => {
  let praxis: TestInstance;
  let owner: Person;
  let invitee: Person;

  beforeAll(async () => {
    praxis = await startTestInstance();
    owner = await praxis.signUp("owner");
    invitee = await praxis.signUp("invitee");
    await praxis.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug: "inner-circle", name: "Inner circle", privacy: "private" },
    });
  });
  afterAll(() => praxis.close());

  const tokenFromMail = async (to: string) => {
    const mail = (await praxis.mails()).filter((m) => m.to === to).at(-1);
    return mail?.link?.split("/invitations/")[1] ?? "";
  };

  it("lets the holder of an e-mailed link join a private community once", async () => {
    expect(
      (
        await praxis.request("POST", "/api/v1/communities/inner-circle/join", {
          token: invitee.token,
        })
      ).body.error.code,
    ).toBe("invitation_required");
    const sent = await praxis.request("POST", "/api/v1/communities/inner-circle/invitations", {
      token: owner.token,
      body: { email: "invitee@example.org" },
    });
    expect(sent.status).toBe(201);
    const token = await tokenFromMail("invitee@example.org");
    const preview = await praxis.request("GET", `/api/v1/invitations/${token}`);
    expect(preview.body).toMatchObject({
      community: "inner-circle",
      communityName: "Inner circle",
    });
    const accepted = await praxis.request("POST", `/api/v1/invitations/${token}/accept`, {
      token: invitee.token,
    });
    expect(accepted.status).toBe(200);
    const community = await praxis.request("GET", "/api/v1/communities/inner-circle", {
      token: invitee.token,
    });
    expect(community.body.viewer).toEqual({ state: "active", role: "member" });
    const again = await praxis.request("POST", `/api/v1/invitations/${token}/accept`, {
      token: invitee.token,
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("invitation_used");
  });

  it("refuses an expired link with 410 and a tampered one with 404", async () => {
    const sent = await praxis.request("POST", "/api/v1/communities/inner-circle/invitations", {
      token: owner.token,
      body: { email: "late@example.org" },
    });
    // The row's expiry moves into the past and the link is signed with that past expiry.
    const past = new Date(Date.now() - 60_000);
    await praxis.deps.db
      .update(invitations)
      .set({ expiresAt: past })
      .where(eq(invitations.id, sent.body.id));
    const expired = await signToken(
      praxis.deps.config.secretKey,
      "invitation",
      { sub: sent.body.id },
      past,
    );
    const late = await praxis.request("GET", `/api/v1/invitations/${expired}`);
    expect(late.status).toBe(410);
    expect(late.body.error.code).toBe("invitation_expired");
    const token = await tokenFromMail("late@example.org");
    const tampered = `${token.slice(0, -4)}AAAA`;
    expect((await praxis.request("GET", `/api/v1/invitations/${tampered}`)).status).toBe(404);
  });

  it("pre-approves a local account invited by handle and remembers a remote handle", async () => {
    const guest = await praxis.signUp("guest_by_handle");
    const invited = await praxis.request("POST", "/api/v1/communities/inner-circle/invitations", {
      token: owner.token,
      body: { handle: "@guest_by_handle@praxis.test" },
    });
    expect(invited.status).toBe(201);
    expect(
      (
        await praxis.request("POST", "/api/v1/communities/inner-circle/join", {
          token: guest.token,
        })
      ).body.state,
    ).toBe("active");
    const unknown = await praxis.request("POST", "/api/v1/communities/inner-circle/invitations", {
      token: owner.token,
      body: { handle: "nobody_here" },
    });
    expect(unknown.status).toBe(404);
    const remote = await praxis.request("POST", "/api/v1/communities/inner-circle/invitations", {
      token: owner.token,
      body: { handle: "@Amina@partner.example" },
    });
    expect(remote.body).toMatchObject({ handle: "amina@partner.example", email: null });
    const member = await praxis.request("POST", "/api/v1/communities/inner-circle/invitations", {
      token: invitee.token,
      body: { email: "x@example.org" },
    });
    expect(member.status).toBe(403);
  });
});
