import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accounts } from "../../db/schema/accounts.ts";
import { communities } from "../../db/schema/communities.ts";
import { memberships } from "../../db/schema/memberships.ts";
import { flagDormantCommunities } from "../../server/services/community-health.ts";
import { sendWeeklyDigests } from "../../server/services/digest.ts";
import { receiveComment, receivePost } from "../../server/services/replicas.ts";
import { type Person, startTestInstance, type TestInstance } from "../support/instance.ts";
import { type SmtpCatcher, startSmtpCatcher } from "../support/smtp-catcher.ts";

const dayMs = 24 * 3600_000;

/** The first Monday 07:30 UTC after `from` (DIGEST_HOUR=7, WEEKLY_DIGEST_DAY=monday). */
function nextMonday(from: Date): Date {
  const day = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  const monday = new Date(day + ((8 - new Date(day).getUTCDay()) % 7) * dayMs + 7.5 * 3600_000);
  return monday > from ? monday : new Date(monday.getTime() + 7 * dayMs);
}

describe("the hub's health loop", () => {
  let smtp: SmtpCatcher;
  let praxis: TestInstance;
  let owner: Person;
  let reader: Person;

  beforeAll(async () => {
    smtp = await startSmtpCatcher("127.0.25.1");
    praxis = await startTestInstance({
      SMTP_URL: smtp.url,
      DIGEST_HOUR: "7",
      WEEKLY_DIGEST_DAY: "monday",
      INACTIVITY_DAYS: "30",
    });
    owner = await praxis.signUp("hub_owner");
    reader = await praxis.signUp("leitora", { locale: "pt" });
    for (const slug of ["idle", "busy", "newest"]) {
      const made = await praxis.request("POST", "/api/v1/communities", {
        token: owner.token,
        body: { slug, name: `Community ${slug}`, privacy: "open" },
      });
      expect(made.status).toBe(201);
    }
    await praxis.request("POST", "/api/v1/communities/busy/join", { token: reader.token });
    await praxis.request("PATCH", "/api/v1/me", {
      token: reader.token,
      body: { emailNotifications: "weekly" },
    });
    // The reader also belongs to a community on a partner server: this hub keeps its copy,
    // and its posts and replies arrive as the inbox stores them (services/replicas.ts).
    const partner = "http://partner.example";
    const [author] = await praxis.deps.db
      .insert(accounts)
      .values({ username: "autora", domain: "partner.example", uri: `${partner}/actors/autora` })
      .returning();
    const [copy] = await praxis.deps.db
      .insert(communities)
      .values({
        slug: "saude",
        name: "Partner saude",
        privacy: "open",
        domain: "partner.example",
        uri: `${partner}/actors/saude`,
      })
      .returning();
    if (!author || !copy) throw new Error("the partner's copies were not made");
    await praxis.deps.db
      .insert(memberships)
      .values({ communityId: copy.id, accountId: reader.id, state: "active" });
    const replicated = await receivePost(praxis.deps, copy, author, {
      uri: `${partner}/posts/1`,
      html: "<p>Texto.</p>",
      title: "Tema do parceiro",
      details: { kind: "discussion" },
    });
    for (let reply = 0; reply < 9; reply++) {
      await receiveComment(praxis.deps, author, {
        uri: `${partner}/comments/${reply}`,
        html: `<p>Resposta ${reply}</p>`,
        inReplyTo: replicated?.uri ?? "",
      });
    }
    // The newest community is idle: no new content for 40 days.
    await praxis.deps.db.execute(
      `update communities set last_activity_at = now() - interval '40 days' where slug in ('idle', 'newest')`,
    );
  });
  afterAll(async () => {
    await praxis?.close();
    await smtp?.close();
  });

  it("reactivates a dormant community with a plan date, refusing a past or far one", async () => {
    expect(await flagDormantCommunities(praxis.deps, new Date())).toBe(2);
    const mail = await smtp.nextTo("hub_owner@example.org");
    expect(mail.text).toContain("http://praxis.test/c/idle#reactivate");
    expect(mail.text).toContain("http://praxis.test/c/idle#archive");
    const at = (days: number) => new Date(Date.now() + days * dayMs).toISOString().slice(0, 10);
    for (const planDate of [at(0), at(400), "2020-01-01"]) {
      const refused = await praxis.request("POST", "/api/v1/communities/idle/reactivate", {
        token: owner.token,
        body: { planDate },
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe("invalid_plan_date");
    }
    const stranger = await praxis.request("POST", "/api/v1/communities/idle/reactivate", {
      token: reader.token,
      body: { planDate: at(30) },
    });
    expect(stranger.status).toBe(403);
    const done = await praxis.request("POST", "/api/v1/communities/idle/reactivate", {
      token: owner.token,
      body: { planDate: at(30) },
    });
    expect(done.status).toBe(200);
    const idle = await praxis.request("GET", "/api/v1/communities/idle");
    expect(idle.body.active).toBe(true);
    const dormant = await praxis.request("GET", "/api/v1/admin/communities/dormant", {
      token: owner.token,
    });
    expect(dormant.body.items.map((item: { ref: string }) => item.ref)).toEqual(["newest"]);
    // Once the plan has passed without new content, the dormancy is told again.
    // (and the busy one, quiet by then too).
    expect(await flagDormantCommunities(praxis.deps, new Date(Date.now() + 32 * dayMs))).toBe(2);
  });

  it("sends Monday's top five in Portuguese from local and partner communities, the facilitators' featured item first", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const made = await praxis.request("POST", "/api/v1/communities/busy/discussions", {
        token: owner.token,
        body: { title: `Tema ${i}`, content: "Texto." },
      });
      ids.push(made.body.id);
      for (let reply = 0; reply < 7 - i; reply++) {
        await praxis.request("POST", `/api/v1/posts/${made.body.id}/comments`, {
          token: owner.token,
          body: { content: `Resposta ${reply}` },
        });
      }
    }
    const quiet = ids[6] as string;
    const refused = await praxis.request("POST", `/api/v1/posts/${quiet}/digest-feature`, {
      token: reader.token,
    });
    expect(refused.status).toBe(403);
    const featured = await praxis.request("POST", `/api/v1/posts/${quiet}/digest-feature`, {
      token: owner.token,
    });
    expect(featured.status).toBe(200);
    expect(await sendWeeklyDigests(praxis.deps, nextMonday(new Date()))).toBe(1);
    const mail = await smtp.nextTo("leitora@example.org");
    const text = mail.text ?? "";
    expect(text).toContain("Os 5 destaques da semana");
    // The partner's thread, with nine replies, comes right after the featured one.
    const order = [
      "Community busy: Tema 6",
      "Partner saude: Tema do parceiro",
      "Community busy: Tema 0",
      "Community busy: Tema 1",
      "Community busy: Tema 2",
    ].map((line) => text.indexOf(line));
    expect(
      order.every((at) => at >= 0),
      text,
    ).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toContain("destacado pela equipa de facilitação");
    expect(text).not.toContain("Tema 3");
    expect(text).toContain("http://praxis.test/unsubscribe/");
    expect(mail.html).toContain("Tema 6");
  });
});
