import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, testPassword } from "../support/client.ts";
import { type Peer, startPeer } from "../support/peer.ts";
import { killLaunched } from "../support/process.ts";

interface Entry {
  action: string;
  actor: string | null;
  target: string | null;
  details: Record<string, unknown>;
}

/**
 * The instance administrator's decisions that concern no community (messages' reports,
 * registrations, server blocks, instance settings) are kept in the instance's own audit log,
 * which only the administrator reads and which no community's log shows.
 */
describe("the instance's audit log", () => {
  let praxis: Peer;
  let admin: Person;
  let owner: Person;

  const instanceLog = async (by: Person = admin, query = "") => {
    const answer = await praxis.request("GET", `/api/v1/admin/audit${query}`, { token: by.token });
    expect(answer.status).toBe(200);
    return answer.body as { items: Entry[]; next: string | null };
  };
  const communityLog = async () => {
    const answer = await praxis.request("GET", "/api/v1/communities/circle/audit", {
      token: owner.token,
    });
    expect(answer.status).toBe(200);
    return answer.body.items as Entry[];
  };

  beforeAll(async () => {
    praxis = await startPeer("127.0.35.1");
    admin = await praxis.signUp("amara");
    owner = await praxis.signUp("bilal");
    const created = await praxis.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug: "circle", name: "Circle", summary: "", privacy: "public" },
    });
    expect(created.status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await praxis?.stop();
    await killLaunched();
  });

  it("keeps the administrator's decision on a reported message, with whom it was about and why", async () => {
    const sender = await praxis.signUp("cyrus");
    const recipient = await praxis.signUp("dina");
    const started = await praxis.request("POST", "/api/v1/conversations", {
      token: sender.token,
      body: { to: ["dina"], body: "Send me your address or else." },
    });
    expect(started.status).toBe(201);
    const filed = await praxis.request("POST", `/api/v1/messages/${started.body.last.id}/reports`, {
      token: recipient.token,
      body: { category: "harassment", reason: "A threat." },
    });
    expect(filed.status).toBe(201);
    const removed = await praxis.request("POST", `/api/v1/reports/${filed.body.id}/resolve`, {
      token: admin.token,
      body: { action: "remove", note: "Threats are not tolerated here." },
    });
    expect(removed.status).toBe(200);
    expect((await instanceLog()).items).toContainEqual(
      expect.objectContaining({
        action: "content_removed",
        actor: "amara",
        target: "cyrus",
        details: { reason: "Threats are not tolerated here." },
      }),
    );
  });

  it("keeps a registration's approval and the change of registration mode", async () => {
    const toApproval = await praxis.request("PATCH", "/api/v1/admin/instance", {
      token: admin.token,
      body: { registrationMode: "approval" },
    });
    expect(toApproval.status).toBe(200);
    const created = await praxis.request("POST", "/api/v1/accounts", {
      body: { username: "elif", email: "elif@example.org", password: testPassword },
    });
    expect(created.status).toBe(201);
    const approved = await praxis.request(
      "POST",
      `/api/v1/admin/accounts/${created.body.id}/approve`,
      { token: admin.token },
    );
    expect(approved.status).toBe(200);
    const { items } = await instanceLog();
    expect(items).toContainEqual(
      expect.objectContaining({ action: "registration_approved", actor: "amara", target: "elif" }),
    );
    expect(items).toContainEqual(
      expect.objectContaining({
        action: "instance_updated",
        actor: "amara",
        details: { changes: [{ field: "registrationMode", from: "open", to: "approval" }] },
      }),
    );
  });

  it("keeps a server block with its reason, newest first and a page at a time", async () => {
    const blocked = await praxis.request("POST", "/api/v1/admin/domain-blocks", {
      token: admin.token,
      body: { domain: "spam.example", reason: "Floods us with advertising." },
    });
    expect(blocked.status).toBe(201);
    const first = await instanceLog(admin, "?limit=1");
    expect(first.items).toEqual([
      expect.objectContaining({
        action: "server_blocked",
        actor: "amara",
        target: null,
        details: { reason: "Floods us with advertising.", domain: "spam.example" },
      }),
    ]);
    expect(first.next).not.toBeNull();
    const second = await instanceLog(admin, `?limit=1&cursor=${first.next}`);
    expect(second.items).toHaveLength(1);
    expect(second.items[0]?.action).not.toBe("server_blocked");
  });

  it("is the instance administrator's alone", async () => {
    for (const token of [owner.token, undefined]) {
      const refused = await praxis.request("GET", "/api/v1/admin/audit", { token });
      expect(refused.status).toBe(token ? 403 : 401);
    }
  });

  it("stays out of a community's log, which keeps its own decisions", async () => {
    expect((await instanceLog()).items.length).toBeGreaterThan(0);
    const log = await communityLog();
    expect(log.map((entry) => entry.action)).toEqual(["community_created"]);
    // And the other way round: the community's creation is not the instance's.
    const instance = await instanceLog(admin, "?limit=100");
    expect(instance.items.map((entry) => entry.action)).not.toContain("community_created");
  });
});
