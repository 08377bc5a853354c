import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Person } from "../support/client.ts";
import { eventually, type Peer, startPeer } from "../support/peer.ts";
import { killLaunched } from "../support/process.ts";

/**
 * A person on a partner instance joins communities of a hub and lives in them there as a
 * local member would: the conditions before asking, their message and profile at the hub,
 * the answer, the history, members-only files and announcements, all on their own server;
 * and no one else on either server sees more than the community's privacy allows.
 */
describe("a member on a partner instance", () => {
  let hub: Peer;
  let partner: Peer;
  let admin: Person;
  let rosa: Person;
  let privateFileId: string;

  const onPartner = (slug: string) => `${slug}@${hub.host}`;
  const rosaHandle = () => `@rosa@${partner.host}`;

  async function createOnHub(slug: string, privacy: string, extra: Record<string, unknown> = {}) {
    const created = await hub.request("POST", "/api/v1/communities", {
      token: admin.token,
      body: { slug, name: `Community ${slug}`, summary: "Practitioners", privacy, ...extra },
    });
    expect(created.status).toBe(201);
  }

  const postOnHub = (slug: string, kind: string, title: string) =>
    hub.request("POST", `/api/v1/communities/${slug}/${kind}`, {
      token: admin.token,
      body: { title, content: `About ${title}.` },
    });

  function uploadOnHub(slug: string, filename: string, isPrivate: boolean) {
    const form = new FormData();
    form.set("file", new Blob([`bytes of ${filename}`], { type: "text/plain" }), filename);
    form.set("title", filename);
    form.set("private", String(isPrivate));
    return hub.request("POST", `/api/v1/communities/${slug}/files`, {
      token: admin.token,
      body: form,
    });
  }

  const titlesOn = async (
    peer: Peer,
    ref: string,
    kind: string,
    token?: string,
  ): Promise<string[] | number> => {
    const answer = await peer.request("GET", `/api/v1/communities/${ref}/${kind}`, { token });
    if (answer.status !== 200) return answer.status;
    return (answer.body.items as { title: string }[]).map((item) => item.title);
  };

  const notificationsOf = async (person: Person) =>
    (await partner.request("GET", "/api/v1/notifications", { token: person.token })).body.items as {
      kind: string;
      data: Record<string, string>;
    }[];

  beforeAll(async () => {
    // The partner serves its own uploads from a media origin: copies still come through it.
    [hub, partner] = await Promise.all([
      startPeer("127.0.0.100"),
      startPeer("127.0.0.101", { MEDIA_URL: "http://media.partner.test" }),
    ]);
    admin = await hub.signUp("hubadmin");
    await partner.signUp("partneradmin");
    rosa = await partner.signUp("rosa");
    const profile = await partner.request("PATCH", "/api/v1/me", {
      token: rosa.token,
      body: { profession: "Social worker", country: "Senegal", organisation: "Ministry of Family" },
    });
    expect(profile.status).toBe(200);
    await createOnHub("protection", "semi_private", {
      eligibility: "Work in child protection",
      principles: "Be kind and specific.",
      conceptNote: { overview: "A circle of practitioners", purpose: "Share what works" },
    });
    await createOnHub("commons", "open");
    await createOnHub("inner", "private", { hidden: true });
    expect((await postOnHub("inner", "discussions", "Inner circle agenda")).status).toBe(201);
    for (const [kind, title] of [
      ["discussions", "Case management tools"],
      ["announcements", "Welcome to the circle"],
    ] as const) {
      expect((await postOnHub("protection", kind, title)).status).toBe(201);
    }
    const readingList = await postOnHub("protection", "pages", "Reading list");
    const child = await hub.request("POST", "/api/v1/communities/protection/pages", {
      token: admin.token,
      body: { title: "Guidance notes", content: "Under the list.", parent: readingList.body.id },
    });
    expect(child.status).toBe(201);
    const event = await hub.request("POST", "/api/v1/communities/protection/events", {
      token: admin.token,
      body: {
        title: "Quarterly clinic",
        content: "Bring cases.",
        timezone: "Africa/Dakar",
        startsAt: "2030-03-10T14:00",
        endsAt: "2030-03-10T16:00",
      },
    });
    expect(event.status).toBe(201);
    // More than one page of history (50 a page) before anyone from the partner joins.
    for (let n = 1; n <= 55; n++) {
      expect((await postOnHub("commons", "discussions", `Earlier thread ${n}`)).status).toBe(201);
    }
    expect((await postOnHub("commons", "discussions", "Open thread")).status).toBe(201);
    expect((await uploadOnHub("commons", "public-guide.txt", false)).status).toBe(201);
    const secret = await uploadOnHub("commons", "budget.txt", true);
    expect(secret.status).toBe(201);
    privateFileId = secret.body.id;
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([hub?.stop(), partner?.stop()]);
    await killLaunched();
  });

  it("shows the community's conditions on the partner before anyone asks to join", async () => {
    const about = await partner.request("GET", `/api/v1/communities/${onPartner("protection")}`, {
      token: rosa.token,
    });
    expect(about.status).toBe(200);
    expect(about.body).toMatchObject({
      privacy: "semi_private",
      eligibility: "Work in child protection",
      principles: "Be kind and specific.",
      conceptNote: { overview: "A circle of practitioners", purpose: "Share what works" },
      memberCount: 1,
    });
  });

  it("brings the request's message and the requester's profile to the hub's admins", async () => {
    const joined = await partner.request(
      "POST",
      `/api/v1/communities/${onPartner("protection")}/join`,
      { token: rosa.token, body: { message: "I run case management in Thiès." } },
    );
    expect(joined.status).toBe(200);
    const [request] = await eventually(
      async () =>
        (
          await hub.request("GET", "/api/v1/communities/protection/members?state=pending", {
            token: admin.token,
          })
        ).body.items as { id: string; message: string; account: Record<string, string> }[],
      (pending) => pending.length === 1,
      "rosa's request at the hub",
      [hub, partner],
    );
    expect(request).toMatchObject({
      message: "I run case management in Thiès.",
      account: {
        handle: rosaHandle(),
        profession: "Social worker",
        country: "Senegal",
        organisation: "Ministry of Family",
      },
    });
    const approved = await hub.request(
      "POST",
      `/api/v1/communities/protection/members/${request?.id}/approve`,
      { token: admin.token, body: {} },
    );
    expect(approved.status).toBe(200);
  });

  it("tells the person on their own server that they were admitted", async () => {
    const notices = await eventually(
      () => notificationsOf(rosa),
      (list) => list.some((notice) => notice.kind === "join_approved"),
      "rosa's notice of approval",
      [hub, partner],
    );
    expect(notices.find((notice) => notice.kind === "join_approved")?.data).toMatchObject({
      community: onPartner("protection"),
    });
  });

  it("fills the partner's copy with the history the community already had", async () => {
    // The history comes oldest first: the event, written last, arrives last.
    await eventually(
      () => titlesOn(partner, onPartner("protection"), "events", rosa.token),
      (titles) => Array.isArray(titles) && titles.includes("Quarterly clinic"),
      "the hub's existing history on the partner",
      [hub, partner],
    );
    expect(await titlesOn(partner, onPartner("protection"), "discussions", rosa.token)).toEqual([
      "Case management tools",
    ]);
    expect(await titlesOn(partner, onPartner("protection"), "announcements", rosa.token)).toEqual([
      "Welcome to the circle",
    ]);
    const pages = (
      await partner.request("GET", `/api/v1/communities/${onPartner("protection")}/pages`, {
        token: rosa.token,
      })
    ).body.items as { id: string; title: string; parent: string | null }[];
    const top = pages.find((page) => page.title === "Reading list");
    expect(pages.find((page) => page.title === "Guidance notes")?.parent).toBe(top?.id);
    expect(await titlesOn(partner, onPartner("protection"), "events", rosa.token)).toEqual([
      "Quarterly clinic",
    ]);
    const about = await partner.request("GET", `/api/v1/communities/${onPartner("protection")}`, {
      token: rosa.token,
    });
    expect(about.body.memberCount).toBe(2);
  });

  it("notifies the partner's member of the next announcement, in the app and by mail", async () => {
    expect((await postOnHub("protection", "announcements", "Clinic moved to Tuesday")).status).toBe(
      201,
    );
    await eventually(
      () => notificationsOf(rosa),
      (list) =>
        list.some(
          (notice) =>
            notice.kind === "announcement" && notice.data.title === "Clinic moved to Tuesday",
        ),
      "rosa's notice of the announcement",
      [hub, partner],
    );
    const mails = await eventually(
      () => partner.mails(),
      (list) => list.some((mail) => mail.subject.includes("Clinic moved to Tuesday")),
      "rosa's mail about the announcement",
      [hub, partner],
    );
    expect(mails.find((mail) => mail.subject.includes("Clinic moved"))?.to).toContain(
      "rosa@example.org",
    );
  });

  it("tells the partner's member of a reply to what they wrote at the hub", async () => {
    const written = await partner.request(
      "POST",
      `/api/v1/communities/${onPartner("protection")}/discussions`,
      { token: rosa.token, body: { title: "Referral pathways", content: "How do you refer?" } },
    );
    expect(written.status).toBe(201);
    const thread = await eventually(
      async () =>
        (
          (
            await hub.request("GET", "/api/v1/communities/protection/discussions", {
              token: admin.token,
            })
          ).body.items as { id: string; title: string }[]
        ).find((item) => item.title === "Referral pathways"),
      (found) => found !== undefined,
      "rosa's thread at the hub",
      [hub, partner],
    );
    const replied = await hub.request("POST", `/api/v1/posts/${thread?.id}/comments`, {
      token: admin.token,
      body: { content: "Through the district office." },
    });
    expect(replied.status).toBe(201);
    await eventually(
      () => notificationsOf(rosa),
      (list) => list.some((notice) => notice.kind === "reply"),
      "rosa's notice of the reply",
      [hub, partner],
    );
  });

  it("shows nothing of a members-only community to a non-member on either server", async () => {
    for (const kind of ["discussions", "announcements", "pages", "events"]) {
      expect(await titlesOn(partner, onPartner("protection"), kind)).not.toSatisfy(Array.isArray);
      expect(await titlesOn(hub, "protection", kind)).not.toSatisfy(Array.isArray);
    }
    const search = await partner.request("GET", "/api/v1/search?q=clinic");
    expect(search.body.items).toEqual([]);
  });

  it("keeps a members-only file of an open community for members on the partner too", async () => {
    const joined = await partner.request(
      "POST",
      `/api/v1/communities/${onPartner("commons")}/join`,
      {
        token: rosa.token,
        body: {},
      },
    );
    expect(joined.status).toBe(200);
    const files = await eventually(
      () => titlesOn(partner, onPartner("commons"), "files", rosa.token),
      (titles) => Array.isArray(titles) && titles.length === 2,
      "both files of the commons on the partner, for rosa",
      [hub, partner],
    );
    expect(files).toEqual(expect.arrayContaining(["budget.txt", "public-guide.txt"]));
    await eventually(
      () => titlesOn(partner, onPartner("commons"), "discussions?limit=100", rosa.token),
      (titles) => Array.isArray(titles) && titles.length === 56,
      "every thread of the commons, over two pages of history",
      [hub, partner],
    );
    expect(await titlesOn(partner, onPartner("commons"), "files")).toEqual(["public-guide.txt"]);
    const search = await partner.request("GET", "/api/v1/search?q=budget");
    expect(search.body.items).toEqual([]);

    const listed = await partner.request(
      "GET",
      `/api/v1/communities/${onPartner("commons")}/files`,
      {
        token: rosa.token,
      },
    );
    const copy = (listed.body.items as { id: string; title: string }[]).find(
      (item) => item.title === "budget.txt",
    );
    const download = await fetch(`${partner.origin}/api/v1/files/${copy?.id}/download`, {
      headers: { authorization: `Bearer ${rosa.token}` },
      redirect: "manual",
    });
    expect(download.status).toBe(200);
    expect(await download.text()).toBe("bytes of budget.txt");
    const anonymous = await fetch(`${partner.origin}/api/v1/files/${copy?.id}/download`, {
      redirect: "manual",
    });
    expect(anonymous.status).toBe(404);
    const atHome = await fetch(`${hub.origin}/api/v1/files/${privateFileId}/download`, {
      redirect: "manual",
    });
    expect(atHome.status).toBe(404);
  });

  it("hides what was replicated while open from non-members once the community is private", async () => {
    expect(await titlesOn(partner, onPartner("commons"), "discussions")).toContain("Open thread");
    const changed = await hub.request("PATCH", "/api/v1/communities/commons", {
      token: admin.token,
      body: { privacy: "private" },
    });
    expect(changed.status).toBe(200);
    await eventually(
      () => titlesOn(partner, onPartner("commons"), "discussions"),
      (answer) => !Array.isArray(answer),
      "the commons' threads hidden from anonymous readers on the partner",
      [hub, partner],
    );
    expect(await titlesOn(partner, onPartner("commons"), "discussions", rosa.token)).toContain(
      "Open thread",
    );
    const about = await partner.request("GET", `/api/v1/communities/${onPartner("commons")}`);
    expect(about.body.privacy).toBe("private");
  });

  it("lets a person elsewhere, invited by handle, find and join a hidden community from home", async () => {
    expect(await titlesOn(partner, onPartner("inner"), "discussions", rosa.token)).toBe(404);
    const invited = await hub.request("POST", "/api/v1/communities/inner/invitations", {
      token: admin.token,
      body: { handle: rosaHandle() },
    });
    expect(invited.status).toBe(201);
    await eventually(
      () => notificationsOf(rosa),
      (list) =>
        list.some(
          (notice) => notice.kind === "invitation" && notice.data.community === onPartner("inner"),
        ),
      "rosa's invitation on the partner",
      [hub, partner],
    );
    const about = await partner.request("GET", `/api/v1/communities/${onPartner("inner")}`, {
      token: rosa.token,
    });
    expect(about.body).toMatchObject({ privacy: "private", hidden: true });
    expect((await partner.request("GET", `/api/v1/communities/${onPartner("inner")}`)).status).toBe(
      404,
    );
    const joined = await partner.request("POST", `/api/v1/communities/${onPartner("inner")}/join`, {
      token: rosa.token,
      body: {},
    });
    expect(joined.status).toBe(200);
    await eventually(
      () => titlesOn(partner, onPartner("inner"), "discussions", rosa.token),
      (titles) => Array.isArray(titles) && titles.includes("Inner circle agenda"),
      "the hidden community's history on the partner",
      [hub, partner],
    );
  });
});
