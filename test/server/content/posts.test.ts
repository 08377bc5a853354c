import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startTestInstance, type TestInstance } from "../../support/instance.ts";

describe("discussions, comments and likes", () => {
  let praxis: TestInstance;
  let owner: Person;
  let member: Person;
  let outsider: Person;

  beforeAll(async () => {
    praxis = await startTestInstance();
    owner = await praxis.signUp("owner_person");
    member = await praxis.signUp("member_person");
    outsider = await praxis.signUp("outsider_person");
    for (const [slug, privacy] of [
      ["open-talk", "open"],
      ["closed-talk", "semi_private"],
    ]) {
      await praxis.request("POST", "/api/v1/communities", {
        token: owner.token,
        body: { slug, name: slug, privacy },
      });
      await praxis.request("POST", `/api/v1/communities/${slug}/invitations`, {
        token: owner.token,
        body: { handle: "member_person" },
      });
      await praxis.request("POST", `/api/v1/communities/${slug}/join`, { token: member.token });
    }
  });
  afterAll(() => praxis.close());

  const startThread = (
    slug: string,
    token: string,
    content = "Let us compare **cash transfer** designs.",
  ) =>
    praxis.request("POST", `/api/v1/communities/${slug}/discussions`, {
      token,
      body: { title: "Cash transfers", content },
    });

  it("walks a community's discussions newest first, two at a time, without duplicates or gaps", async () => {
    await praxis.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug: "paged-talk", name: "paged-talk", privacy: "open" },
    });
    const published: string[] = [];
    for (let n = 1; n <= 5; n++) {
      const thread = await praxis.request("POST", "/api/v1/communities/paged-talk/discussions", {
        token: owner.token,
        body: { title: `Thread ${n}`, content: "Notes from the district offices." },
      });
      published.unshift(thread.body.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const page = await praxis.request(
        "GET",
        `/api/v1/communities/paged-talk/discussions?limit=2${query}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((item: { id: string }) => item.id));
      cursor = page.body.next;
    } while (cursor && seen.length < 10);
    expect(seen).toEqual(published);
  });

  it("publishes a thread with sanitised HTML, its Markdown source and a detected language", async () => {
    const thread = await startThread(
      "open-talk",
      member.token,
      "La protection sociale adaptative aide les familles <script>alert(1)</script> [x](javascript:alert(1))",
    );
    expect(thread.status).toBe(201);
    expect(thread.body).toMatchObject({
      kind: "discussion",
      community: "open-talk",
      language: "fr",
      deleted: false,
    });
    expect(thread.body.author.username).toBe("member_person");
    expect(thread.body.content).not.toMatch(/script|javascript/);
    expect(thread.body.source).toContain("<script>");
  });

  it("lets anyone read an open community's threads but only members write them", async () => {
    const anonymous = await praxis.request("GET", "/api/v1/communities/open-talk/discussions");
    expect(anonymous.status).toBe(200);
    expect(anonymous.body.items.length).toBeGreaterThan(0);
    const refused = await startThread("open-talk", outsider.token);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("members_only");
  });

  it("keeps a semi-private community's threads from non-members, even by id", async () => {
    const thread = await startThread("closed-talk", member.token);
    expect(
      (await praxis.request("GET", "/api/v1/communities/closed-talk/discussions")).status,
    ).toBe(401);
    const outsiderList = await praxis.request(
      "GET",
      "/api/v1/communities/closed-talk/discussions",
      {
        token: outsider.token,
      },
    );
    expect(outsiderList.status).toBe(403);
    const byId = await praxis.request("GET", `/api/v1/posts/${thread.body.id}`, {
      token: outsider.token,
    });
    expect(byId.status).toBe(404);
    const comments = await praxis.request("GET", `/api/v1/posts/${thread.body.id}/comments`);
    expect(comments.status).toBe(404);
    expect(
      (await praxis.request("GET", `/api/v1/posts/${thread.body.id}`, { token: member.token }))
        .status,
    ).toBe(200);
  });

  it("nests replies to any depth and notifies the person replied to", async () => {
    const thread = await startThread("open-talk", owner.token);
    const first = await praxis.request("POST", `/api/v1/posts/${thread.body.id}/comments`, {
      token: member.token,
      body: { content: "First answer" },
    });
    const second = await praxis.request("POST", `/api/v1/posts/${thread.body.id}/comments`, {
      token: owner.token,
      body: { content: "A reply to the answer", inReplyTo: first.body.id },
    });
    const third = await praxis.request("POST", `/api/v1/posts/${thread.body.id}/comments`, {
      token: member.token,
      body: { content: "Deeper still", inReplyTo: second.body.id },
    });
    expect(third.body.inReplyTo).toBe(second.body.id);
    const listed = await praxis.request("GET", `/api/v1/posts/${thread.body.id}/comments`);
    expect(listed.body.items.map((c: { inReplyTo: string | null }) => c.inReplyTo)).toEqual([
      null,
      first.body.id,
      second.body.id,
    ]);
    expect((await praxis.request("GET", `/api/v1/posts/${thread.body.id}`)).body.commentCount).toBe(
      3,
    );
    const memberNotes = await praxis.request("GET", "/api/v1/notifications", {
      token: member.token,
    });
    expect(
      memberNotes.body.items.some(
        (n: { kind: string; subject: string }) =>
          n.kind === "reply" && n.subject === second.body.id,
      ),
    ).toBe(true);
    const otherThread = await startThread("open-talk", owner.token);
    const crossed = await praxis.request("POST", `/api/v1/posts/${otherThread.body.id}/comments`, {
      token: member.token,
      body: { content: "Wrong thread", inReplyTo: first.body.id },
    });
    expect(crossed.status).toBe(422);
    expect(crossed.body.error.code).toBe("reply_target_invalid");
  });

  it("marks edits with their time and lets only the author edit", async () => {
    const thread = await startThread("open-talk", member.token);
    const stranger = await praxis.request("PATCH", `/api/v1/posts/${thread.body.id}`, {
      token: owner.token,
      body: { content: "Rewritten by someone else" },
    });
    expect(stranger.status).toBe(403);
    expect(stranger.body.error.code).toBe("not_author");
    const edited = await praxis.request("PATCH", `/api/v1/posts/${thread.body.id}`, {
      token: member.token,
      body: { content: "Rewritten _carefully_" },
    });
    expect(edited.body.editedAt).not.toBeNull();
    expect(edited.body.content).toContain("<em>carefully</em>");
  });

  it("lets moderators lock and pin, and refuses comments on locked or deleted threads", async () => {
    const thread = await startThread("open-talk", member.token);
    const notModerator = await praxis.request("PATCH", `/api/v1/posts/${thread.body.id}`, {
      token: member.token,
      body: { locked: true },
    });
    expect(notModerator.status).toBe(403);
    const locked = await praxis.request("PATCH", `/api/v1/posts/${thread.body.id}`, {
      token: owner.token,
      body: { locked: true, pinned: true },
    });
    expect(locked.body).toMatchObject({ locked: true, pinned: true });
    const onLocked = await praxis.request("POST", `/api/v1/posts/${thread.body.id}/comments`, {
      token: member.token,
      body: { content: "Too late" },
    });
    expect(onLocked.status).toBe(422);
    expect(onLocked.body.error.code).toBe("thread_locked");

    const other = await startThread("open-talk", member.token);
    const reply = await praxis.request("POST", `/api/v1/posts/${other.body.id}/comments`, {
      token: owner.token,
      body: { content: "Reply before deletion" },
    });
    expect(
      (await praxis.request("DELETE", `/api/v1/posts/${other.body.id}`, { token: owner.token }))
        .status,
    ).toBe(204);
    const tombstone = await praxis.request("GET", `/api/v1/posts/${other.body.id}`);
    expect(tombstone.body).toMatchObject({ deleted: true, title: "", content: "" });
    const kept = await praxis.request("GET", `/api/v1/posts/${other.body.id}/comments`);
    expect(kept.body.items.map((c: { id: string }) => c.id)).toEqual([reply.body.id]);
    const onDeleted = await praxis.request("POST", `/api/v1/posts/${other.body.id}/comments`, {
      token: member.token,
      body: { content: "Hello?" },
    });
    expect(onDeleted.status).toBe(422);
    expect(onDeleted.body.error.code).toBe("post_deleted");
  });

  it("counts a like once however often it is sent, and takes it back", async () => {
    const thread = await startThread("open-talk", owner.token);
    for (let i = 0; i < 3; i++) {
      const liked = await praxis.request("POST", `/api/v1/posts/${thread.body.id}/like`, {
        token: member.token,
      });
      expect(liked.body.likeCount).toBe(1);
    }
    const unliked = await praxis.request("DELETE", `/api/v1/posts/${thread.body.id}/like`, {
      token: member.token,
    });
    expect(unliked.body.likeCount).toBe(0);
    const again = await praxis.request("DELETE", `/api/v1/posts/${thread.body.id}/like`, {
      token: member.token,
    });
    expect(again.body.likeCount).toBe(0);
    const outsiderLike = await praxis.request("POST", `/api/v1/posts/${thread.body.id}/like`, {
      token: outsider.token,
    });
    expect(outsiderLike.status).toBe(403);
  });

  it("attaches files of the same community, hiding private ones from non-members", async () => {
    const share = async (slug: string, filename: string, isPrivate = false) => {
      const form = new FormData();
      form.set("file", new File(["%PDF-1.4\n"], filename));
      form.set("private", String(isPrivate));
      const answer = await praxis.request("POST", `/api/v1/communities/${slug}/files`, {
        token: member.token,
        body: form,
      });
      expect(answer.status).toBe(201);
      return answer.body.id as string;
    };
    const brief = await share("open-talk", "brief.pdf");
    const notes = await share("open-talk", "notes.pdf", true);
    const elsewhere = await share("closed-talk", "other.pdf");

    const refused = await praxis.request("POST", "/api/v1/communities/open-talk/discussions", {
      token: member.token,
      body: { title: "With a stray file", content: "See attached.", attachments: [elsewhere] },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe("attachment_invalid");

    const posted = await praxis.request("POST", "/api/v1/communities/open-talk/discussions", {
      token: member.token,
      body: { title: "Reading list", content: "See attached.", attachments: [brief, notes] },
    });
    expect(posted.status).toBe(201);
    const titles = (body: { attachments: { title: string }[] }) =>
      body.attachments.map((file) => file.title).sort();
    expect(titles(posted.body)).toEqual(["brief", "notes"]);
    const asOutsider = await praxis.request("GET", `/api/v1/posts/${posted.body.id}`, {
      token: outsider.token,
    });
    expect(titles(asOutsider.body)).toEqual(["brief"]);
    const listed = await praxis.request("GET", "/api/v1/communities/open-talk/discussions");
    const item = listed.body.items.find((post: { id: string }) => post.id === posted.body.id);
    expect(titles(item)).toEqual(["brief"]);

    const edited = await praxis.request("PATCH", `/api/v1/posts/${posted.body.id}`, {
      token: member.token,
      body: { attachments: [notes] },
    });
    expect(titles(edited.body)).toEqual(["notes"]);
    const threads = await praxis.request("GET", "/api/v1/communities/open-talk/discussions");
    expect(
      threads.body.items.some((post: { title: string }) => post.title === "With a stray file"),
    ).toBe(false);
  });

  it("refuses an empty title and a 1 MB body, creating nothing", async () => {
    const before = (
      await praxis.request("GET", "/api/v1/communities/open-talk/discussions?limit=100")
    ).body.items.length;
    const empty = await praxis.request("POST", "/api/v1/communities/open-talk/discussions", {
      token: member.token,
      body: { title: "   ", content: "Body" },
    });
    expect(empty.status).toBe(400);
    const huge = await praxis.request("POST", "/api/v1/communities/open-talk/discussions", {
      token: member.token,
      body: { title: "Huge", content: "x".repeat(1024 * 1024) },
    });
    expect(huge.status).toBe(413);
    const after = (
      await praxis.request("GET", "/api/v1/communities/open-talk/discussions?limit=100")
    ).body.items.length;
    expect(after).toBe(before);
  });
});

describe("announcements and pages", () => {
  let praxis: TestInstance;
  let owner: Person;
  let member: Person;
  let quiet: Person;

  beforeAll(async () => {
    praxis = await startTestInstance();
    owner = await praxis.signUp("coordinator");
    member = await praxis.signUp("reader_one", { locale: "pt" });
    quiet = await praxis.signUp("reader_two");
    await praxis.request("PATCH", "/api/v1/me", {
      token: quiet.token,
      body: { emailNotifications: "none" },
    });
    await praxis.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug: "news-room", name: "News room", privacy: "public" },
    });
    for (const person of [member, quiet]) {
      await praxis.request("POST", "/api/v1/communities/news-room/join", { token: person.token });
    }
    // A member who follows from Mastodon: no address here, and nothing to read here.
    await praxis.deps.db.execute(sql`
      with remote as (
        insert into accounts (username, domain, uri, inbox)
        values ('faraway', 'mastodon.example', 'https://mastodon.example/users/faraway',
                'https://mastodon.example/users/faraway/inbox')
        returning id)
      insert into memberships (community_id, account_id, role, state)
      select c.id, remote.id, 'member', 'active' from communities c, remote where c.slug = 'news-room'`);
  });
  afterAll(() => praxis.close());

  it("lets only moderators and admins announce, notifies every member in the app and by e-mail as each prefers", async () => {
    const refused = await praxis.request("POST", "/api/v1/communities/news-room/announcements", {
      token: member.token,
      body: { title: "Not mine to say", content: "..." },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("moderators_only");
    const published = await praxis.request("POST", "/api/v1/communities/news-room/announcements", {
      token: owner.token,
      body: {
        title: "Webinar on Thursday",
        content: "Join us to discuss **shock-responsive** systems.",
      },
    });
    expect(published.status).toBe(201);
    for (const person of [member, quiet]) {
      const notes = await praxis.request("GET", "/api/v1/notifications?unread=true", {
        token: person.token,
      });
      expect(notes.body.unread).toBe(1);
      expect(notes.body.items[0]).toMatchObject({
        kind: "announcement",
        subject: published.body.id,
        read: false,
      });
    }
    const [remote] = await praxis.deps.db.execute<{ count: number }>(sql`
      select count(*)::int as count from notifications n join accounts a on a.id = n.account_id
      where a.username = 'faraway'`);
    expect(remote?.count).toBe(0);
    const mails = await praxis.mails();
    expect(mails.map((m) => m.to)).toEqual(["reader_one@example.org"]);
    expect(mails[0]?.subject).toContain("Webinar on Thursday");
    expect(mails[0]?.text).toContain("publicou");
    const read = await praxis.request("POST", "/api/v1/notifications/read", {
      token: member.token,
      body: {},
    });
    expect(read.body.read).toBe(1);
    const after = await praxis.request("GET", "/api/v1/notifications?unread=true", {
      token: member.token,
    });
    expect(after.body).toMatchObject({ unread: 0, items: [] });
  });

  it("builds a tree of resource pages within one community", async () => {
    const topic = await praxis.request("POST", "/api/v1/communities/news-room/pages", {
      token: owner.token,
      body: { title: "Webinars", content: "All our webinars" },
    });
    const child = await praxis.request("POST", "/api/v1/communities/news-room/pages", {
      token: member.token,
      body: {
        title: "Additional literature",
        content: "Readings",
        parent: topic.body.id,
        position: 2,
      },
    });
    expect(child.body).toMatchObject({ parent: topic.body.id, position: 2, kind: "page" });
    await praxis.request("POST", "/api/v1/communities", {
      token: owner.token,
      body: { slug: "elsewhere", name: "Elsewhere", privacy: "open" },
    });
    const foreignParent = await praxis.request("POST", "/api/v1/communities/elsewhere/pages", {
      token: owner.token,
      body: { title: "Stray", content: "Wrong parent", parent: topic.body.id },
    });
    expect(foreignParent.status).toBe(422);
    expect(foreignParent.body.error.code).toBe("parent_page_invalid");
  });
});
