import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Person } from "../support/client.ts";
import { eventually, type Peer, startPeer } from "../support/peer.ts";
import { killLaunched } from "../support/process.ts";

/**
 * Two instances in their own processes: people on "partner" join communities hosted on
 * "hub" through Follow, and the hub's rules decide as they do for its own people.
 */
describe("joining a community on another server", () => {
  let hub: Peer;
  let partner: Peer;
  let hubAdmin: Person;
  let bea: Person;
  let carl: Person;
  let dina: Person;

  const ref = (slug: string) => `${slug}@${hub.host}`;
  const handleOn = (person: Person) => `@${person.username.toLowerCase()}@${partner.host}`;

  async function viewerState(person: Person, slug: string): Promise<string | null> {
    const answer = await partner.request("GET", `/api/v1/communities/${ref(slug)}`, {
      token: person.token,
    });
    return answer.body?.viewer?.state ?? null;
  }

  async function hubMembers(slug: string, state = "active") {
    const answer = await hub.request("GET", `/api/v1/communities/${slug}/members?state=${state}`, {
      token: hubAdmin.token,
    });
    return (answer.body.items as { account: { handle: string }; id: string }[]) ?? [];
  }

  async function createOnHub(slug: string, privacy: string, extra: Record<string, unknown> = {}) {
    const created = await hub.request("POST", "/api/v1/communities", {
      token: hubAdmin.token,
      body: { slug, name: `Community ${slug}`, summary: "Practitioners", privacy, ...extra },
    });
    expect(created.status).toBe(201);
  }

  beforeAll(async () => {
    [hub, partner] = await Promise.all([startPeer("127.0.0.2"), startPeer("127.0.0.3")]);
    hubAdmin = await hub.signUp("hubadmin");
    [bea, carl, dina] = [
      await partner.signUp("partneradmin").then(() => partner.signUp("bea")),
      await partner.signUp("carl"),
      await partner.signUp("dina"),
    ];
    await createOnHub("open-circle", "open");
    await createOnHub("members-circle", "public");
    await createOnHub("semi-circle", "semi_private", { eligibility: "Work in social protection" });
    await createOnHub("inner-circle", "private");
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([hub?.stop(), partner?.stop()]);
    await killLaunched();
  });

  it("finds a community on another server by its ref and shows its name", async () => {
    const answer = await partner.request("GET", `/api/v1/communities/${ref("open-circle")}`, {
      token: bea.token,
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      ref: ref("open-circle"),
      name: "Community open-circle",
      handle: `@open-circle@${hub.host}`,
      privacy: "open",
    });
  });

  it("answers 404 for a ref on a server that has no such community", async () => {
    const answer = await partner.request("GET", `/api/v1/communities/${ref("nowhere")}`, {
      token: bea.token,
    });
    expect(answer.status).toBe(404);
  });

  it("admits a remote person to an open community at once, and both servers agree", async () => {
    const joined = await partner.request("POST", `/api/v1/communities/${ref("open-circle")}/join`, {
      token: bea.token,
      body: {},
    });
    expect(joined.status).toBe(200);
    expect(joined.body.state).toBe("pending");
    await eventually(
      () => viewerState(bea, "open-circle"),
      (s) => s === "active",
      "bea's state",
      [hub, partner],
    );
    const members = await hubMembers("open-circle");
    expect(members.map((m) => m.account.handle)).toContain(handleOn(bea));
  });

  it("admits a remote person to a public community at once", async () => {
    await partner.request("POST", `/api/v1/communities/${ref("members-circle")}/join`, {
      token: bea.token,
      body: {},
    });
    await eventually(
      () => viewerState(bea, "members-circle"),
      (s) => s === "active",
      "bea's state",
      [hub, partner],
    );
  });

  it("keeps a remote request to a semi-private community pending until an admin approves it", async () => {
    await partner.request("POST", `/api/v1/communities/${ref("semi-circle")}/join`, {
      token: bea.token,
      body: {},
    });
    const [request] = await eventually(
      () => hubMembers("semi-circle", "pending"),
      (pending) => pending.length === 1,
      "the hub's pending queue",
      [hub, partner],
    );
    expect(request?.account.handle).toBe(handleOn(bea));
    expect(await viewerState(bea, "semi-circle")).toBe("pending");
    const approved = await hub.request(
      "POST",
      `/api/v1/communities/semi-circle/members/${request?.id}/approve`,
      { token: hubAdmin.token, body: {} },
    );
    expect(approved.status).toBe(200);
    await eventually(
      () => viewerState(bea, "semi-circle"),
      (s) => s === "active",
      "bea's state",
      [hub, partner],
    );
  });

  it("tells a remote requester of a rejection", async () => {
    await partner.request("POST", `/api/v1/communities/${ref("semi-circle")}/join`, {
      token: carl.token,
      body: {},
    });
    const pending = await eventually(
      () => hubMembers("semi-circle", "pending"),
      (rows) => rows.some((m) => m.account.handle === handleOn(carl)),
      "carl's request on the hub",
      [hub, partner],
    );
    const request = pending.find((m) => m.account.handle === handleOn(carl));
    await hub.request("POST", `/api/v1/communities/semi-circle/members/${request?.id}/reject`, {
      token: hubAdmin.token,
      body: { reason: "Not in the sector" },
    });
    await eventually(
      () => viewerState(carl, "semi-circle"),
      (s) => s === "rejected",
      "carl's state",
      [hub, partner],
    );
  });

  it("refuses a remote person who was not invited to a private community", async () => {
    await partner.request("POST", `/api/v1/communities/${ref("inner-circle")}/join`, {
      token: carl.token,
      body: {},
    });
    await eventually(
      () => viewerState(carl, "inner-circle"),
      (s) => s === "rejected",
      "carl's state",
      [hub, partner],
    );
    expect((await hubMembers("inner-circle")).map((m) => m.account.handle)).not.toContain(
      handleOn(carl),
    );
  });

  it("admits a remote person invited by handle to a private community", async () => {
    const invited = await hub.request("POST", "/api/v1/communities/inner-circle/invitations", {
      token: hubAdmin.token,
      body: { handle: handleOn(dina) },
    });
    expect(invited.status).toBe(201);
    await partner.request("POST", `/api/v1/communities/${ref("inner-circle")}/join`, {
      token: dina.token,
      body: {},
    });
    await eventually(
      () => viewerState(dina, "inner-circle"),
      (s) => s === "active",
      "dina's state",
      [hub, partner],
    );
  });

  it("admits to a working group only remote people who belong to its parent", async () => {
    await createOnHub("parent-circle", "public");
    await createOnHub("task-team", "public", { parent: "parent-circle" });
    const parent = await partner.request("GET", `/api/v1/communities/${ref("parent-circle")}`, {
      token: carl.token,
    });
    expect(parent.status).toBe(200);
    const team = await partner.request("GET", `/api/v1/communities/${ref("task-team")}`, {
      token: carl.token,
    });
    expect(team.body.parent).toBe(ref("parent-circle"));

    const join = (slug: string) =>
      partner.request("POST", `/api/v1/communities/${ref(slug)}/join`, {
        token: carl.token,
        body: {},
      });
    await join("task-team");
    await eventually(
      () => viewerState(carl, "task-team"),
      (s) => s === "rejected",
      "carl's request to the working group before joining its parent",
      [hub, partner],
    );
    await join("parent-circle");
    await eventually(
      () => viewerState(carl, "parent-circle"),
      (s) => s === "active",
      "carl joining the parent",
      [hub, partner],
    );
    await join("task-team");
    await eventually(
      () => viewerState(carl, "task-team"),
      (s) => s === "active",
      "carl joining the working group",
      [hub, partner],
    );
  });

  it("takes a remote person who leaves out of the community on its home server", async () => {
    const left = await partner.request(
      "POST",
      `/api/v1/communities/${ref("members-circle")}/leave`,
      {
        token: bea.token,
      },
    );
    expect(left.status).toBe(204);
    await eventually(
      () => hubMembers("members-circle"),
      (members) => !members.some((m) => m.account.handle === handleOn(bea)),
      "bea's membership on the hub",
      [hub, partner],
    );
  });

  it("tells a removed remote member's server, which stops counting them in", async () => {
    const member = (await hubMembers("open-circle")).find(
      (m) => m.account.handle === handleOn(bea),
    );
    const removed = await hub.request(
      "PATCH",
      `/api/v1/communities/open-circle/members/${member?.id}`,
      { token: hubAdmin.token, body: { state: "banned" } },
    );
    expect(removed.status).toBe(200);
    await eventually(
      () => viewerState(bea, "open-circle"),
      (s) => s === "rejected",
      "bea's state",
      [hub, partner],
    );
  });

  it("shows an open community's followers to anyone but a members-only one's to nobody unsigned", async () => {
    const json = { accept: "application/activity+json" };
    const open = await fetch(`${hub.origin}/actors/open-circle/followers`, { headers: json });
    expect(open.status).toBe(200);
    const semi = await fetch(`${hub.origin}/actors/semi-circle/followers`, { headers: json });
    expect(semi.status).toBeGreaterThanOrEqual(401);
    expect(semi.status).toBeLessThan(404);
  });
});
