import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestInstance, type TestInstance } from "../support/instance.ts";

type Persona = "owner" | "moderator" | "member" | "outsider" | "anonymous";
const personas: Persona[] = ["owner", "moderator", "member", "outsider", "anonymous"];
type Flags = Record<string, boolean | string | null>;

/**
 * Answers say what the viewer may do (`may`), from privacy.ts's checks, so that the client
 * shows only what the server allows. Each flag is held both to what we expect and to what
 * the API then does when asked.
 */
describe("what the viewer may do, as answers say it", () => {
  let praxis: TestInstance;
  const people = {} as Record<Exclude<Persona, "anonymous">, Person>;
  let serial = 0;

  const tokenOf = (persona: Persona) =>
    persona === "anonymous" ? undefined : people[persona].token;
  const call = (method: string, path: string, persona: Persona, body?: unknown) =>
    praxis.request(method, `/api/v1${path}`, { token: tokenOf(persona), body });
  const asOwner = async (method: string, path: string, body?: unknown, status = 200) => {
    const answer = await call(method, path, "owner", body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(status);
    return answer.body;
  };
  const setArchived = (slug: string, archived: boolean) =>
    asOwner("PATCH", `/communities/${slug}`, { archived });
  /** Runs `change` with the community open for writing, then archives it again if it was. */
  const writable = async <T>(slug: string, archived: boolean, change: () => Promise<T>) => {
    if (archived) await setArchived(slug, false);
    const result = await change();
    if (archived) await setArchived(slug, true);
    return result;
  };

  /** A thread written by the member, with one comment of theirs. */
  const threadIn = (slug: string, archived: boolean) =>
    writable(slug, archived, async () => {
      serial += 1;
      const post = await call("POST", `/communities/${slug}/discussions`, "member", {
        title: `Thread ${serial}`,
        content: "Which registries do you use?",
      });
      expect(post.status).toBe(201);
      const comment = await call("POST", `/posts/${post.body.id}/comments`, "member", {
        content: "Ours is on paper.",
      });
      expect(comment.status).toBe(201);
      return { post: post.body.id as string, comment: comment.body.id as string };
    });

  const mayOf = async (slug: string, thread: { post: string; comment: string }, who: Persona) => {
    const community = await call("GET", `/communities/${slug}/profile`, who);
    const post = await call("GET", `/posts/${thread.post}`, who);
    const comments = await call("GET", `/posts/${thread.post}/comments`, who);
    expect([community.status, post.status, comments.status]).toEqual([200, 200, 200]);
    return {
      community: community.body.may as Flags,
      post: post.body.may as Flags,
      comment: comments.body.items[0].may as Flags,
    };
  };

  beforeAll(async () => {
    praxis = await startTestInstance();
    // The first account is the instance's administrator, who decides every report: not one
    // of the people whose rights in a community are compared here.
    await praxis.signUp("may_instance_admin");
    for (const persona of ["owner", "moderator", "member", "outsider"] as const) {
      people[persona] = await praxis.signUp(`may_${persona}`);
    }
    for (const slug of ["commons", "archive"]) {
      await asOwner("POST", "/communities", { slug, name: slug, privacy: "open" }, 201);
      for (const persona of ["moderator", "member"] as const) {
        expect((await call("POST", `/communities/${slug}/join`, persona)).body.state).toBe(
          "active",
        );
      }
      const members = await asOwner("GET", `/communities/${slug}/members?limit=100`);
      const moderator = members.items.find(
        (each: { account: { id: string } }) => each.account.id === people.moderator.id,
      );
      await asOwner("PATCH", `/communities/${slug}/members/${moderator.id}`, {
        role: "moderator",
      });
    }
    await setArchived("archive", true);
  });
  afterAll(() => praxis?.close());

  const none = { post: false, announce: false, moderate: false, administer: false };
  const expectedCommunity: Record<"open" | "archived", Record<Persona, Flags>> = {
    open: {
      owner: { post: true, announce: true, moderate: true, administer: true, createGroup: true },
      moderator: { ...none, post: true, announce: true, moderate: true, createGroup: false },
      member: { ...none, post: true, createGroup: false },
      outsider: { ...none, createGroup: false },
      anonymous: { ...none, createGroup: false },
    },
    archived: {
      owner: { ...none, moderate: true, administer: true, createGroup: false },
      moderator: { ...none, moderate: true, createGroup: false },
      member: { ...none, createGroup: false },
      outsider: { ...none, createGroup: false },
      anonymous: { ...none, createGroup: false },
    },
  };
  const expectedPost: Record<"open" | "archived", Record<Persona, Flags>> = {
    open: {
      owner: { edit: false, delete: true, moderate: true, reply: true },
      moderator: { edit: false, delete: true, moderate: true, reply: true },
      member: { edit: true, delete: true, moderate: false, reply: true },
      outsider: { edit: false, delete: false, moderate: false, reply: false },
      anonymous: { edit: false, delete: false, moderate: false, reply: false },
    },
    archived: {
      owner: { edit: false, delete: true, moderate: false, reply: false },
      moderator: { edit: false, delete: true, moderate: false, reply: false },
      member: { edit: false, delete: true, moderate: false, reply: false },
      outsider: { edit: false, delete: false, moderate: false, reply: false },
      anonymous: { edit: false, delete: false, moderate: false, reply: false },
    },
  };

  for (const state of ["open", "archived"] as const) {
    const slug = state === "open" ? "commons" : "archive";

    it(`tells each person what they may do in a${state === "open" ? "n open" : "n archived"} community, its post and its comment`, async () => {
      const thread = await threadIn(slug, state === "archived");
      for (const who of personas) {
        const may = await mayOf(slug, thread, who);
        const inside = who !== "outsider" && who !== "anonymous";
        expect(may.community, who).toEqual({
          ...expectedCommunity[state][who],
          handOver: who === "owner",
          // How one comes in and goes out: test/server/way-in.test.ts holds them to the API.
          join: inside || state === "archived" ? null : "join",
          requestNeedsMessage: false,
          leave: inside,
          connect: inside,
        });
        expect(may.post, who).toEqual(expectedPost[state][who]);
        const { edit, delete: remove } = expectedPost[state][who] as Flags;
        expect(may.comment, who).toEqual({ edit, delete: remove });
      }
    });

    it(`allows exactly what may says in the ${state} community, and refuses the rest`, async () => {
      const archived = state === "archived";
      for (const who of personas) {
        const thread = await threadIn(slug, archived);
        const may = await mayOf(slug, thread, who);
        serial += 1;
        const newcomer = await praxis.signUp(`may_newcomer_${serial}`);
        const newcomerId = await writable(slug, archived, async () => {
          await praxis.request("POST", `/api/v1/communities/${slug}/join`, {
            token: newcomer.token,
          });
          const members = await asOwner("GET", `/communities/${slug}/members?limit=100`);
          return members.items.find(
            (each: { account: { id: string } }) => each.account.id === newcomer.id,
          ).id as string;
        });
        const attempts: Record<string, [boolean, () => Promise<{ status: number }>]> = {
          "community.post": [
            may.community.post === true,
            () =>
              call("POST", `/communities/${slug}/discussions`, who, { title: "T", content: "C" }),
          ],
          "community.announce": [
            may.community.announce === true,
            () =>
              call("POST", `/communities/${slug}/announcements`, who, {
                title: "T",
                content: "C",
              }),
          ],
          "community.moderate": [
            may.community.moderate === true,
            () => call("GET", `/communities/${slug}/reports`, who),
          ],
          "community.administer": [
            may.community.administer === true,
            () => call("PATCH", `/communities/${slug}`, who, { summary: `By ${who}` }),
          ],
          "community.createGroup": [
            may.community.createGroup === true,
            () =>
              call("POST", "/communities", who, {
                slug: `group-${serial}`,
                name: "Group",
                privacy: "open",
                parent: slug,
              }),
          ],
          "community.handOver": [
            may.community.handOver === true,
            () =>
              call("PATCH", `/communities/${slug}/members/${newcomerId}`, who, { role: "owner" }),
          ],
          "community.connect": [
            may.community.connect === true,
            () => call("GET", `/communities/${slug}/coffee`, who),
          ],
          "post.edit": [
            may.post.edit === true,
            () => call("PATCH", `/posts/${thread.post}`, who, { content: "Edited" }),
          ],
          "post.moderate": [
            may.post.moderate === true,
            () => call("PATCH", `/posts/${thread.post}`, who, { pinned: true }),
          ],
          "post.reply": [
            may.post.reply === true,
            () => call("POST", `/posts/${thread.post}/comments`, who, { content: "Me too" }),
          ],
          "comment.edit": [
            may.comment.edit === true,
            () => call("PATCH", `/comments/${thread.comment}`, who, { content: "Edited" }),
          ],
          "comment.delete": [
            may.comment.delete === true,
            () => call("DELETE", `/comments/${thread.comment}`, who),
          ],
          // Last, as it takes the comment with it.
          "post.delete": [
            may.post.delete === true,
            () => call("DELETE", `/posts/${thread.post}`, who),
          ],
        };
        for (const [action, [allowed, attempt]] of Object.entries(attempts)) {
          const { status } = await attempt();
          expect({ who, action, allowed: status < 300 }).toEqual({ who, action, allowed });
          if (!allowed) expect([401, 403, 404, 422]).toContain(status);
        }
      }
    });
  }
});
