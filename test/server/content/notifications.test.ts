import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestInstance, type TestInstance } from "../../support/instance.ts";

describe("notifications about membership", () => {
  let praxis: TestInstance;
  let owner: Person;
  let requester: Person;

  beforeAll(async () => {
    praxis = await startTestInstance();
    owner = await praxis.signUp("owner_person");
    requester = await praxis.signUp("requester");
    await praxis.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug: "by-approval", name: "By approval", privacy: "semi_private" },
    });
  });
  afterAll(() => praxis.close());

  const kinds = async (person: Person) =>
    (await praxis.request("GET", "/api/v1/notifications", { token: person.token })).body.items.map(
      (n: { kind: string }) => n.kind,
    );

  it("tells the admins of a new request and the requester of the decision, with its reason", async () => {
    await praxis.request("POST", "/api/v1/communities/by-approval/join", {
      token: requester.token,
      body: { message: "I work on this" },
    });
    expect(await kinds(owner)).toEqual(["join_request"]);
    const queue = await praxis.request(
      "GET",
      "/api/v1/communities/by-approval/members?state=pending",
      {
        token: owner.token,
      },
    );
    await praxis.request(
      "POST",
      `/api/v1/communities/by-approval/members/${queue.body.items[0].id}/reject`,
      {
        token: owner.token,
        body: { reason: "Not yet" },
      },
    );
    const notes = await praxis.request("GET", "/api/v1/notifications", { token: requester.token });
    expect(notes.body.items[0]).toMatchObject({
      kind: "join_rejected",
      data: { community: "by-approval", reason: "Not yet" },
    });
  });

  it("tells a local account it was invited by handle", async () => {
    const guest = await praxis.signUp("guest");
    await praxis.request("POST", "/api/v1/communities/by-approval/invitations", {
      token: owner.token,
      body: { handle: "guest" },
    });
    expect(await kinds(guest)).toEqual(["invitation"]);
  });

  it("marks only the notifications named, and only the viewer's own", async () => {
    const notes = await praxis.request("GET", "/api/v1/notifications", { token: owner.token });
    const foreign = await praxis.request("POST", "/api/v1/notifications/read", {
      token: requester.token,
      body: { ids: [notes.body.items[0].id] },
    });
    expect(foreign.body.read).toBe(0);
    const own = await praxis.request("POST", "/api/v1/notifications/read", {
      token: owner.token,
      body: { ids: [notes.body.items[0].id] },
    });
    expect(own.body.read).toBe(1);
    expect(
      (await praxis.request("GET", "/api/v1/notifications", { token: owner.token })).body.unread,
    ).toBe(0);
    expect((await praxis.request("GET", "/api/v1/notifications")).status).toBe(401);
  });
});
