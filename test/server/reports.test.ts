import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestInstance, type TestInstance } from "../support/instance.ts";

interface ReportItem {
  id: string;
  state: string;
  category: string;
  reason: string;
  target: { kind: string; id: string; deleted: boolean };
  resolution: { note: string | null; by: string | null } | null;
}

/**
 * People here report what they read to the community's moderators, who remove it or dismiss
 * the report; the instance administrator sees every community's reports.
 */
describe("reports", () => {
  let praxis: TestInstance;
  let instanceAdmin: Person;
  let owner: Person;
  let moderator: Person;
  let member: Person;
  let author: Person;
  let outsider: Person;

  const write = (slug: string, by: Person, title: string) =>
    praxis.request("POST", `/api/v1/communities/${slug}/discussions`, {
      token: by.token,
      body: { title, content: `${title}, in a few words.` },
    });
  const report = (target: "posts" | "comments", id: string, by: Person, body?: unknown) =>
    praxis.request("POST", `/api/v1/${target}/${id}/reports`, {
      token: by.token,
      body: body ?? { category: "harassment", reason: "It names a child and their school." },
    });
  const openReports = async (slug: string, by: Person) => {
    const answer = await praxis.request("GET", `/api/v1/communities/${slug}/reports?state=open`, {
      token: by.token,
    });
    expect(answer.status).toBe(200);
    return answer.body.items as ReportItem[];
  };
  const reportNotices = async (person: Person) =>
    (
      (await praxis.request("GET", "/api/v1/notifications", { token: person.token })).body
        .items as { kind: string; data: Record<string, string> }[]
    ).filter((notice) => notice.kind === "report");
  const resolve = (id: string, by: Person, body: unknown) =>
    praxis.request("POST", `/api/v1/reports/${id}/resolve`, { token: by.token, body });

  beforeAll(async () => {
    praxis = await startTestInstance();
    instanceAdmin = await praxis.signUp("ngozi");
    owner = await praxis.signUp("olu");
    moderator = await praxis.signUp("kwame");
    member = await praxis.signUp("lina");
    author = await praxis.signUp("tariq");
    outsider = await praxis.signUp("oscar");
    for (const [slug, privacy] of [
      ["safeguarding", "public"],
      ["elsewhere", "private"],
    ] as const) {
      const created = await praxis.request("POST", "/api/v1/communities", {
        token: owner.token,
        body: { slug, name: slug, summary: "", privacy },
      });
      expect(created.status).toBe(201);
    }
    for (const person of [moderator, member, author]) {
      const joined = await praxis.request("POST", "/api/v1/communities/safeguarding/join", {
        token: person.token,
      });
      expect(joined.body.state).toBe("active");
    }
    const members = await praxis.request("GET", "/api/v1/communities/safeguarding/members", {
      token: owner.token,
    });
    const membership = (members.body.items as { id: string; account: { id: string } }[]).find(
      (item) => item.account.id === moderator.id,
    );
    const promoted = await praxis.request(
      "PATCH",
      `/api/v1/communities/safeguarding/members/${membership?.id}`,
      { token: owner.token, body: { role: "moderator" } },
    );
    expect(promoted.status).toBe(200);
  });
  afterAll(() => praxis.close());

  it("takes a member's report of a post and tells the community's moderators and the instance administrator", async () => {
    const post = await write("safeguarding", author, "Names and schools");
    const answer = await report("posts", post.body.id, member);
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ state: "open", category: "harassment" });
    expect(answer.body.target).toMatchObject({ kind: "post", id: post.body.id });

    for (const told of [owner, moderator, instanceAdmin]) {
      const notices = await reportNotices(told);
      expect(notices.map((notice) => notice.data.report)).toContain(answer.body.id);
    }
    expect(await reportNotices(author)).toHaveLength(0);
    expect((await openReports("safeguarding", moderator)).map((item) => item.id)).toContain(
      answer.body.id,
    );
    const all = await praxis.request("GET", "/api/v1/admin/reports", {
      token: instanceAdmin.token,
    });
    expect((all.body.items as ReportItem[]).map((item) => item.id)).toContain(answer.body.id);
  });

  it("refuses a second open report by the same person about the same item", async () => {
    const post = await write("safeguarding", author, "Twice");
    expect((await report("posts", post.body.id, member)).status).toBe(201);
    const again = await report("posts", post.body.id, member);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("already_reported");
    // Someone else may still report it.
    expect((await report("posts", post.body.id, moderator)).status).toBe(201);
  });

  it("keeps the reports queue from plain members and from the instance's other people", async () => {
    const forMember = await praxis.request("GET", "/api/v1/communities/safeguarding/reports", {
      token: member.token,
    });
    expect(forMember.status).toBe(403);
    const forAll = await praxis.request("GET", "/api/v1/admin/reports", { token: owner.token });
    expect(forAll.status).toBe(403);
  });

  it("lets no one report what they cannot read", async () => {
    const hidden = await write("elsewhere", owner, "Members only");
    expect(hidden.status).toBe(201);
    const answer = await report("posts", hidden.body.id, outsider);
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe("post_not_found");
    const noReason = await report("posts", hidden.body.id, owner, {
      category: "spam",
      reason: " ",
    });
    expect(noReason.status).toBe(400);
  });

  it("removes a reported comment when a moderator decides so, closing its report with the note", async () => {
    const post = await write("safeguarding", author, "A thread");
    const comment = await praxis.request("POST", `/api/v1/posts/${post.body.id}/comments`, {
      token: author.token,
      body: { content: "Something harmful" },
    });
    const filed = await report("comments", comment.body.id, member, {
      category: "child_safety",
      reason: "Grooming",
    });
    expect(filed.status).toBe(201);
    expect((await resolve(filed.body.id, member, { action: "remove" })).status).toBe(403);

    const decided = await resolve(filed.body.id, moderator, {
      action: "remove",
      note: "Against our principles",
    });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ state: "resolved", resolution: { by: "kwame" } });
    expect(decided.body.target.deleted).toBe(true);
    const thread = await praxis.request("GET", `/api/v1/posts/${post.body.id}/comments`, {
      token: member.token,
    });
    const removed = thread.body.items.find((item: { id: string }) => item.id === comment.body.id);
    expect(removed).toMatchObject({ deleted: true, content: "" });
    expect((await openReports("safeguarding", moderator)).map((item) => item.id)).not.toContain(
      filed.body.id,
    );
    expect((await resolve(filed.body.id, moderator, { action: "dismiss" })).status).toBe(409);

    const audit = await praxis.request("GET", "/api/v1/communities/safeguarding/audit", {
      token: owner.token,
    });
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({ action: "content_removed", actor: "kwame", target: "tariq" }),
    );
  });

  it("removes a reported post, and dismisses a report while the post stays", async () => {
    const kept = await write("safeguarding", author, "Fine after all");
    const dismissedReport = await report("posts", kept.body.id, member);
    const dismissed = await resolve(dismissedReport.body.id, owner, { action: "dismiss" });
    expect(dismissed.status).toBe(200);
    expect(dismissed.body.state).toBe("dismissed");
    const stays = await praxis.request("GET", `/api/v1/posts/${kept.body.id}`, {
      token: member.token,
    });
    expect(stays.body).toMatchObject({ deleted: false, title: "Fine after all" });

    const harmful = await write("safeguarding", author, "Harmful");
    const removedReport = await report("posts", harmful.body.id, member);
    const removed = await resolve(removedReport.body.id, instanceAdmin, { action: "remove" });
    expect(removed.status).toBe(200);
    expect(removed.body.state).toBe("resolved");
    const post = await praxis.request("GET", `/api/v1/posts/${harmful.body.id}`, {
      token: member.token,
    });
    expect(post.body).toMatchObject({ deleted: true, title: "" });
  });
});
