import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCoffeeRounds } from "../../server/services/coffee.ts";
import { type Person, startTestInstance, type TestInstance } from "../support/instance.ts";
import { type SmtpCatcher, startSmtpCatcher } from "../support/smtp-catcher.ts";

/** The first Monday of a month at 09:00 UTC (the default COFFEE_SCHEDULE), and a month on. */
const firstRound = new Date("2027-02-01T09:00:00Z");
const secondRound = new Date("2027-03-01T09:05:00Z");

const people = [
  { name: "ana_pt", organisation: "Unicef", locale: "pt", profileAudience: "members" },
  { name: "badr_ar", organisation: "Unicef", locale: "ar", profileAudience: "everyone" },
  { name: "chloe", organisation: "Plan", locale: "fr", profileAudience: "admins" },
  { name: "dan", organisation: "Plan", locale: "en", profileAudience: "everyone" },
  { name: "eva", organisation: "Save", locale: "es", profileAudience: "everyone" },
  { name: "femi", organisation: "Save", locale: "en", profileAudience: "everyone" },
] as const;

describe("coffee connections", () => {
  let smtp: SmtpCatcher;
  let praxis: TestInstance;
  let owner: Person;
  let outsider: Person;
  const members: Record<string, Person> = {};
  const organisationOf = (id: string) =>
    people.find((person) => members[person.name]?.id === id)?.organisation;

  const groupsIn = async (round: Date) => {
    const result = await praxis.deps.db.execute(
      `select a_id, b_id from coffee_pairs where round = '${round.toISOString()}'`,
    );
    return (result as unknown as { a_id: string; b_id: string }[]).map((row) => [
      row.a_id,
      row.b_id,
    ]);
  };

  beforeAll(async () => {
    smtp = await startSmtpCatcher("127.0.24.1");
    praxis = await startTestInstance({ SMTP_URL: smtp.url });
    owner = await praxis.signUp("coffee_owner");
    outsider = await praxis.signUp("outsider");
    await praxis.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug: "childcare", name: "Child care", privacy: "open" },
    });
    for (const person of people) {
      members[person.name] = await praxis.signUp(person.name, {
        displayName: person.name.toUpperCase(),
        locale: person.locale,
        organisation: person.organisation,
        profession: `Nurse of ${person.name}`,
        country: "Kenya",
        profileAudience: person.profileAudience,
        emailNotifications: "none",
      });
      const joined = await praxis.request("POST", "/api/v1/communities/childcare/join", {
        token: members[person.name]?.token,
      });
      expect(joined.status).toBeLessThan(300);
      const opted = await praxis.request("PUT", "/api/v1/communities/childcare/coffee", {
        token: members[person.name]?.token,
      });
      expect(opted.status).toBe(200);
    }
  });
  afterAll(async () => {
    await praxis?.close();
    await smtp?.close();
  });

  it("tells a member whether they take part, how many do and when the next round is", async () => {
    const status = await praxis.request("GET", "/api/v1/communities/childcare/coffee", {
      token: members.dan?.token,
    });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ joined: true, participants: 6 });
    expect(Date.parse(status.body.nextRound)).toBeGreaterThan(Date.now());
  });

  it("refuses the rounds to someone who is not a member", async () => {
    const refused = await praxis.request("PUT", "/api/v1/communities/childcare/coffee", {
      token: outsider.token,
    });
    expect([403, 404]).toContain(refused.status);
    expect(refused.body.error.code).toBe("members_only");
    const missing = await praxis.request("PUT", "/api/v1/communities/nowhere/coffee", {
      token: outsider.token,
    });
    expect(missing.status).toBe(404);
  });

  it("pairs six members into three pairs once, however many workers run the round at once", async () => {
    const made = await Promise.all([
      runCoffeeRounds(praxis.deps, firstRound),
      runCoffeeRounds(praxis.deps, firstRound),
    ]);
    expect(made.sort()).toEqual([0, 3]);
    expect(await runCoffeeRounds(praxis.deps, new Date(firstRound.getTime() + 3600_000))).toBe(0);
    const pairs = await groupsIn(firstRound);
    expect(pairs).toHaveLength(3);
    expect(new Set(pairs.flat()).size).toBe(6);
    for (const [a, b] of pairs)
      expect(organisationOf(a as string)).not.toBe(organisationOf(b as string));
  });

  it("introduces each person once by e-mail in their language, showing details only as allowed", async () => {
    for (const person of people) {
      await smtp.nextTo(`${person.name}@example.org`);
      expect(smtp.countTo(`${person.name}@example.org`)).toBe(1);
    }
    const portuguese = await smtp.nextTo("ana_pt@example.org");
    expect(portuguese.subject).toBe("Encontro de café em «Child care»");
    const arabic = await smtp.nextTo("badr_ar@example.org");
    expect(arabic.subject).toBe("لقاء قهوة في «Child care»");
    expect(arabic.html).toContain('dir="rtl"');
    // Whoever was paired with Chloe (admins only) does not see her details; Ana's (members)
    // are shown to the member paired with her.
    const mails = await Promise.all(
      people.map((person) => smtp.nextTo(`${person.name}@example.org`)),
    );
    for (const mail of mails) expect(mail.text).toContain("http://praxis.test/c/childcare");
    // Each person is introduced in exactly one mail: their partner's.
    const introducing = (handle: string) => {
      const found = mails.filter((mail) => mail.text?.includes(handle));
      expect(found, `the mails introducing ${handle}`).toHaveLength(1);
      return found[0]?.text ?? "";
    };
    expect(introducing("@chloe@")).not.toContain("Nurse of chloe");
    expect(introducing("@ana_pt@")).toContain("Nurse of ana_pt · Unicef · Kenya");
    expect(introducing("@dan@")).toContain("http://praxis.test/@dan");
    const notices = await praxis.request("GET", "/api/v1/notifications", {
      token: members.eva?.token,
    });
    expect(
      notices.body.items.filter((notice: { kind: string }) => notice.kind === "coffee_pairing"),
    ).toHaveLength(1);
  });

  it("avoids the first round's pairs in the next round", async () => {
    expect(await runCoffeeRounds(praxis.deps, secondRound)).toBe(3);
    const before = new Set((await groupsIn(firstRound)).map((pair) => pair.join()));
    const after = await groupsIn(new Date("2027-03-01T09:00:00Z"));
    expect(after).toHaveLength(3);
    for (const pair of after) expect(before.has(pair.join())).toBe(false);
  });
});
