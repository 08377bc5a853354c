import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Person,
  startTestInstance,
  type TestInstance,
  testOrigin,
} from "../support/instance.ts";

/** iCalendar folds long lines; unfolded, each property is one line. */
const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, "");

describe("hostile inputs get a clear 4xx and change nothing", () => {
  let praxis: TestInstance;
  let owner: Person;
  let writer: Person;

  beforeAll(async () => {
    praxis = await startTestInstance();
    owner = await praxis.signUp("hostile_owner");
    writer = await praxis.signUp("hostile_writer");
    const created = await praxis.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug: "hostile-open", name: "Hostile open", privacy: "open" },
    });
    expect(created.status).toBe(201);
    await praxis.request("POST", "/api/v1/communities/hostile-open/join", { token: writer.token });
  });
  afterAll(() => praxis.close());

  const discussions = async () =>
    (await praxis.request("GET", "/api/v1/communities/hostile-open/discussions?limit=100")).body
      .items.length as number;
  const discuss = (content: string) =>
    praxis.request("POST", "/api/v1/communities/hostile-open/discussions", {
      token: writer.token,
      body: { title: "Deep", content },
    });

  describe("Markdown too long or nested beyond reason", () => {
    /** Asserts an answer within `withinMs`: the time marked would take is what is attacked. */
    const timed = async (content: string, withinMs = 1_000) => {
      const started = performance.now();
      const answer = await discuss(content);
      expect(performance.now() - started).toBeLessThan(withinMs);
      return answer;
    };

    it("refuses 400 KB of nested quotes at once, with a message, before rendering it", async () => {
      const before = await discussions();
      for (const deep of ["> ".repeat(200_000), ">".repeat(400_000), "1. ".repeat(130_000)]) {
        const answer = await timed(`${deep}x`);
        expect(answer.status).toBe(422);
        expect(answer.body.error.code).toBe("markdown_too_long");
        expect(answer.body.error.message).toMatch(/at most 50000 characters/);
      }
      expect(await discussions()).toBe(before);
    });

    it("refuses quotes and lists opening more than eight deep on one line", async () => {
      const before = await discussions();
      // A staircase of 20 quotes, 230 bytes, takes marked 2 s; each more level doubles it.
      const stairs = Array.from({ length: 20 }, (_, i) => `${">".repeat(20 - i)} step`).join("\n");
      for (const deep of [stairs, `${"> ".repeat(20_000)}x`, "> - > - > 1. > * > + x"]) {
        const answer = await timed(deep);
        expect(answer.status).toBe(422);
        expect(answer.body.error.code).toBe("markdown_too_deep");
        expect(answer.body.error.message).toMatch(/nested too deeply: at most 8/);
      }
      expect(await discussions()).toBe(before);
    });

    it("renders the worst it accepts in bounded time, and ordinary nesting as before", async () => {
      const staircase = Array.from({ length: 8 }, (_, i) => `${"> ".repeat(8 - i)}x`).join("\n");
      const indented = Array.from({ length: 200 }, (_, i) => `${"  ".repeat(i)}- step`).join("\n");
      for (const worst of [`${staircase}\n\n`.repeat(2_000).slice(0, 50_000), indented]) {
        expect((await timed(worst, 3_000)).status).toBe(201);
      }
      const ordinary = await discuss(
        "> > a reply to a reply\n\n- a\n  - b\n    - c\n\n1.5 million",
      );
      expect(ordinary.status).toBe(201);
      expect(ordinary.body.content).toContain("<blockquote>\n<blockquote>");
      expect(ordinary.body.content).toContain("<li>c</li>");
    });
  });

  describe("malformed percent-encoding in an address", () => {
    const pages = [
      "/c/%ff",
      "/c/%E0%A4%A",
      "/c/%",
      "/c/a%2",
      "/posts/%c0%af",
      "/actors/%ff",
      "/%ff",
    ];
    const apis = [
      "/api/v1/communities/%ff",
      "/api/v1/communities/%ff/members",
      "/api/v1/communities/%E0%A4%A/events.ics",
      "/api/v1/posts/%ff",
      "/api/v1/events/%/event.ics",
    ];

    it("answers a page 400 with a message a person can read", async () => {
      for (const path of pages) {
        const answer = await praxis.request("GET", path, { headers: { accept: "text/html" } });
        expect({ path, status: answer.status }).toEqual({ path, status: 400 });
        expect(answer.body).toContain("This address is not valid");
      }
    });

    it("answers the API 400 malformed_address in JSON", async () => {
      for (const path of apis) {
        const answer = await praxis.request("GET", path, { token: owner.token });
        expect({ path, status: answer.status }).toEqual({ path, status: 400 });
        expect(answer.body.error).toMatchObject({ code: "malformed_address" });
        expect(answer.body.error.message).toMatch(/percent/);
      }
    });
  });

  describe("an event's text in its .ics", () => {
    const injected =
      "Clinic\r\nATTENDEE;CN=Mallory:mailto:mallory@evil.example\nX-INJECTED:1\rEND:VEVENT";

    it("cannot add lines to the calendar: CR, LF and controls are escaped or dropped, long lines folded", async () => {
      const created = await praxis.request("POST", "/api/v1/communities/hostile-open/events", {
        token: writer.token,
        body: {
          title: injected,
          content: `Agenda\r\nX-INJECTED:2\u000bvertical\u0085next\u2028line ${"long ".repeat(40)}`,
          location: "Room 1\r\nX-INJECTED:3",
          timezone: "UTC",
          startsAt: "2027-05-01T10:00Z",
          endsAt: "2027-05-01T11:00Z",
        },
      });
      expect(created.status).toBe(201);
      for (const path of [
        `/api/v1/events/${created.body.id}/event.ics`,
        "/api/v1/communities/hostile-open/events.ics",
      ]) {
        const feed = await praxis.request("GET", path);
        expect(feed.status).toBe(200);
        const ics = feed.body as string;
        // Lines end in CRLF only, fit in 75 octets and hold no control character.
        expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
        for (const line of ics.split("\r\n")) {
          expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
          // biome-ignore lint/suspicious/noControlCharactersInRegex: controls are what is looked for
          expect(line).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u0085\u2028\u2029]/);
        }
        const lines = unfold(ics).split("\r\n");
        expect(lines.filter((line) => /^(ATTENDEE|X-INJECTED)/.test(line))).toEqual([]);
        expect(lines.filter((line) => line === "END:VEVENT")).toHaveLength(1);
        expect(lines).toContain(
          "SUMMARY:Clinic\\nATTENDEE\\;CN=Mallory:mailto:mallory@evil.example\\nX-INJECTED:1\\nEND:VEVENT",
        );
        expect(lines).toContain("LOCATION:Room 1\\nX-INJECTED:3");
      }
      const single = unfold(
        (await praxis.request("GET", `/api/v1/events/${created.body.id}/event.ics`)).body,
      ).split("\r\n");
      expect(single).toContain(
        "X-WR-CALNAME:Clinic\\nATTENDEE\\;CN=Mallory:mailto:mallory@evil.example\\nX-INJECTED:1\\nEND:VEVENT",
      );
    });
  });

  describe("the language switch's way back", () => {
    const location = async (next: string) => {
      const answer = await praxis.request("GET", `/lang?to=fr&next=${next}`);
      expect(answer.status).toBe(303);
      return answer.headers.get("location") ?? "";
    };

    it("only ever leads back to a page of this server", async () => {
      const offSite = [
        "/%5Cevil.example",
        "%2F%5Cevil.example",
        "//evil.example",
        "%2F%2Fevil.example",
        "https://evil.example",
        "https:evil.example",
        "/%09/evil.example",
        "/%0a/evil.example",
        "%5C%5Cevil.example",
        "/%5C/evil.example",
        "%09//evil.example",
        "javascript:alert(1)",
        "/.//evil.example",
        "/..//evil.example",
        "/%2e//evil.example",
      ];
      for (const next of offSite) {
        const target = await location(next);
        // Resolved the way a browser resolves it: the WHATWG URL parser.
        expect({ next, origin: new URL(target, testOrigin).origin }).toEqual({
          next,
          origin: testOrigin,
        });
        expect({ next, target }).toEqual({ next, target: expect.stringMatching(/^\/(?![/\\])/) });
        // biome-ignore lint/suspicious/noControlCharactersInRegex: controls are what is looked for
        expect(target).not.toMatch(/[\\\u0000-\u001f]/);
      }
    });

    it("keeps a page of this server, with its query and fragment", async () => {
      expect(await location(encodeURIComponent("/c/hostile-open?tab=files#top"))).toBe(
        "/c/hostile-open?tab=files#top",
      );
      expect(await location(encodeURIComponent(`${testOrigin}/c/hostile-open`))).toBe(
        "/c/hostile-open",
      );
    });
  });

  describe("fifty joins at once by one person", () => {
    it("make one request and tell each admin once", async () => {
      const admin = await praxis.signUp("hostile_admin");
      const asker = await praxis.signUp("hostile_asker");
      const slug = "hostile-approval";
      await praxis.request("POST", "/api/v1/communities", {
        token: owner.token,
        body: { slug, name: "Hostile approval", privacy: "semi_private" },
      });
      await praxis.request("POST", `/api/v1/communities/${slug}/invitations`, {
        token: owner.token,
        body: { handle: admin.username },
      });
      await praxis.request("POST", `/api/v1/communities/${slug}/join`, { token: admin.token });
      const members = await praxis.request("GET", `/api/v1/communities/${slug}/members`, {
        token: owner.token,
      });
      const adminMembership = members.body.items.find(
        (m: { account: { id: string } }) => m.account.id === admin.id,
      );
      const promoted = await praxis.request(
        "PATCH",
        `/api/v1/communities/${slug}/members/${adminMembership.id}`,
        { token: owner.token, body: { role: "admin" } },
      );
      expect(promoted.status).toBe(200);

      const answers = await Promise.all(
        Array.from({ length: 50 }, () =>
          praxis.request("POST", `/api/v1/communities/${slug}/join`, {
            token: asker.token,
            body: { message: "Please let me in" },
          }),
        ),
      );
      expect(answers.map((answer) => answer.status)).toEqual(Array(50).fill(200));
      expect(new Set(answers.map((answer) => answer.body.state))).toEqual(new Set(["pending"]));

      const pending = await praxis.request(
        "GET",
        `/api/v1/communities/${slug}/members?state=pending`,
        { token: owner.token },
      );
      expect(pending.body.items).toHaveLength(1);
      for (const person of [owner, admin]) {
        const notes = await praxis.request("GET", "/api/v1/notifications?limit=100", {
          token: person.token,
        });
        const requests = notes.body.items.filter(
          (n: { kind: string; data: { requester: string } }) =>
            n.kind === "join_request" && n.data.requester === asker.username,
        );
        expect({ who: person.username, requests: requests.length }).toEqual({
          who: person.username,
          requests: 1,
        });
      }
    });
  });
});
