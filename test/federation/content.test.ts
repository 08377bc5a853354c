import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Person } from "../support/client.ts";
import { eventually, type Peer, startPeer } from "../support/peer.ts";
import { killLaunched } from "../support/process.ts";

interface Item {
  id: string;
  uri: string;
  title: string;
  content: string;
  author: { handle: string } | null;
}

/**
 * Three instances in their own processes: a hub hosting the communities, and two partner
 * servers whose people take part from home (FEP-1b12: write to the group, the group relays).
 */
describe("discussions across servers", () => {
  let hub: Peer;
  let partner: Peer;
  let third: Peer;
  let admin: Person;
  let bea: Person;
  let carl: Person;
  let tom: Person;
  let all: Peer[];

  const ref = (slug: string) => `${slug}@${hub.host}`;

  async function discussions(peer: Peer, path: string, person?: Person): Promise<Item[]> {
    const answer = await peer.request("GET", `/api/v1/communities/${path}/discussions`, {
      token: person?.token,
    });
    return answer.status === 200 ? answer.body.items : [];
  }

  async function join(peer: Peer, person: Person, slug: string) {
    await peer.request("POST", `/api/v1/communities/${ref(slug)}/join`, {
      token: person.token,
      body: {},
    });
    await eventually(
      async () =>
        (await peer.request("GET", `/api/v1/communities/${ref(slug)}`, { token: person.token }))
          .body?.viewer?.state,
      (state) => state === "active",
      `${person.username} joining ${slug}`,
      all,
    );
  }

  beforeAll(async () => {
    [hub, partner, third] = await Promise.all([
      startPeer("127.0.0.2"),
      startPeer("127.0.0.3"),
      startPeer("127.0.0.4"),
    ]);
    all = [hub, partner, third];
    admin = await hub.signUp("hubadmin");
    bea = await partner.signUp("bea");
    carl = await partner.signUp("carl");
    tom = await third.signUp("tom");
    for (const [slug, privacy] of [
      ["commons", "open"],
      ["working-circle", "semi_private"],
    ]) {
      const created = await hub.request("POST", "/api/v1/communities", {
        token: admin.token,
        body: { slug, name: slug, summary: "", privacy },
      });
      expect(created.status).toBe(201);
    }
    await join(partner, bea, "commons");
    await join(third, tom, "commons");
    await partner.request("POST", `/api/v1/communities/${ref("working-circle")}/join`, {
      token: bea.token,
      body: {},
    });
    const pending = await eventually(
      async () =>
        (
          await hub.request("GET", "/api/v1/communities/working-circle/members?state=pending", {
            token: admin.token,
          })
        ).body.items as { id: string }[],
      (items) => items.length === 1,
      "bea's request on the hub",
      all,
    );
    await hub.request(
      "POST",
      `/api/v1/communities/working-circle/members/${pending[0]?.id}/approve`,
      {
        token: admin.token,
        body: {},
      },
    );
    await join(partner, bea, "working-circle");
  }, 180_000);

  afterAll(async () => {
    await Promise.allSettled(all.map((peer) => peer.stop()));
    await killLaunched();
  });

  it("carries announcements, events and files to other servers as what they are", async () => {
    const base = "/api/v1/communities/commons";
    const announced = await hub.request("POST", `${base}/announcements`, {
      token: admin.token,
      body: { title: "Webinar series opens", content: "Register **now**." },
    });
    const scheduled = await hub.request("POST", `${base}/events`, {
      token: admin.token,
      body: {
        title: "Peer exchange on targeting",
        content: "Bring your data.",
        startsAt: "2027-03-04T09:00:00Z",
        endsAt: "2027-03-04T10:30:00Z",
        timezone: "Africa/Nairobi",
        location: "Nairobi",
      },
    });
    const form = new FormData();
    form.set("file", new File(["%PDF-1.4\n% toolkit\n"], "toolkit.pdf"));
    form.set("category", "Guides");
    const shared = await hub.request("POST", `${base}/files`, { token: admin.token, body: form });
    expect([announced.status, scheduled.status, shared.status]).toEqual([201, 201, 201]);

    const remote = `/api/v1/communities/${ref("commons")}`;
    const list = async (kind: string) =>
      (await partner.request("GET", `${remote}/${kind}`, { token: bea.token })).body?.items ?? [];
    const [announcement] = await eventually(
      () => list("announcements"),
      (items) => items.length === 1,
      "the announcement on the partner server",
      all,
    );
    expect(announcement.title).toBe("Webinar series opens");
    const [event] = await eventually(
      () => list("events"),
      (items) => items.length === 1,
      "the event on the partner server",
      all,
    );
    expect(event).toMatchObject({
      title: "Peer exchange on targeting",
      startsAt: "2027-03-04T09:00:00.000Z",
      endsAt: "2027-03-04T10:30:00.000Z",
      location: "Nairobi",
    });
    const [file] = await eventually(
      () => list("files"),
      (items) => items.length === 1,
      "the file on the partner server",
      all,
    );
    expect(file.title).toBe(shared.body.title);
    const download = await partner.request("GET", `/api/v1/files/${file.id}/download`, {
      token: bea.token,
    });
    expect(download.status).toBe(200);
    expect(download.body).toContain("% toolkit");
    expect(await discussions(partner, ref("commons"), bea)).toEqual([]);
  });

  it("delivers a thread started on the hub to members on both other servers", async () => {
    const posted = await hub.request("POST", "/api/v1/communities/commons/discussions", {
      token: admin.token,
      body: { title: "Cash transfers in Malawi", content: "What did the **evaluation** find?" },
    });
    expect(posted.status).toBe(201);
    for (const [peer, person] of [
      [partner, bea],
      [third, tom],
    ] as const) {
      const [copy] = await eventually(
        () => discussions(peer, ref("commons"), person),
        (items) => items.some((item) => item.title === "Cash transfers in Malawi"),
        `the thread on ${peer.host}`,
        all,
      );
      expect(copy?.uri).toBe(posted.body.uri);
      expect(copy?.content).toContain("<strong>evaluation</strong>");
      expect(copy?.author?.handle).toBe(`@hubadmin@${hub.host}`);
    }
  });

  it("takes a thread a member writes at home to the hub, which relays it to the third server", async () => {
    const posted = await partner.request(
      "POST",
      `/api/v1/communities/${ref("commons")}/discussions`,
      {
        token: bea.token,
        body: { title: "Targeting methods", content: "Proxy means tests or community-based?" },
      },
    );
    expect(posted.status).toBe(201);
    const onHub = await eventually(
      () => discussions(hub, "commons"),
      (items) => items.some((item) => item.title === "Targeting methods"),
      "bea's thread on the hub",
      all,
    );
    expect(onHub.find((item) => item.title === "Targeting methods")?.author?.handle).toBe(
      `@bea@${partner.host}`,
    );
    await eventually(
      () => discussions(third, ref("commons"), tom),
      (items) => items.some((item) => item.title === "Targeting methods"),
      "bea's thread on the third server",
      all,
    );
  });

  it("brings a reply written on the third server to the thread's other readers", async () => {
    const thread = (await discussions(third, ref("commons"), tom)).find(
      (item) => item.title === "Cash transfers in Malawi",
    );
    const replied = await third.request("POST", `/api/v1/posts/${thread?.id}/comments`, {
      token: tom.token,
      body: { content: "Consumption rose by a fifth." },
    });
    expect(replied.status).toBe(201);
    const hubThread = (await discussions(hub, "commons")).find(
      (item) => item.title === "Cash transfers in Malawi",
    );
    await eventually(
      async () => (await hub.request("GET", `/api/v1/posts/${hubThread?.id}/comments`)).body.items,
      (items: { content: string }[]) => items.some((c) => c.content.includes("rose by a fifth")),
      "tom's reply on the hub",
      all,
    );
    const beaThread = (await discussions(partner, ref("commons"), bea)).find(
      (item) => item.title === "Cash transfers in Malawi",
    );
    await eventually(
      async () =>
        (
          await partner.request("GET", `/api/v1/posts/${beaThread?.id}/comments`, {
            token: bea.token,
          })
        ).body.items,
      (items: { content: string }[]) => items.some((c) => c.content.includes("rose by a fifth")),
      "tom's reply on bea's server",
      all,
    );
  });

  it("keeps a members-only thread from non-members on the member's own server and from unsigned fetches", async () => {
    const posted = await hub.request("POST", "/api/v1/communities/working-circle/discussions", {
      token: admin.token,
      body: { title: "Draft work plan", content: "Confidential until June." },
    });
    expect(posted.status).toBe(201);
    await eventually(
      () => discussions(partner, ref("working-circle"), bea),
      (items) => items.some((item) => item.title === "Draft work plan"),
      "the members-only thread for bea",
      all,
    );
    const forCarl = await partner.request(
      "GET",
      `/api/v1/communities/${ref("working-circle")}/discussions`,
      {
        token: carl.token,
      },
    );
    expect(forCarl.status).toBe(403);
    const anonymous = await partner.request(
      "GET",
      `/api/v1/communities/${ref("working-circle")}/discussions`,
    );
    expect(anonymous.status).toBe(401);
    const unsigned = await fetch(posted.body.uri, {
      headers: { accept: "application/activity+json" },
    });
    expect(unsigned.status).toBe(401);
    const search = await partner.request("GET", "/api/v1/search?q=confidential", {
      token: carl.token,
    });
    expect(JSON.stringify(search.body)).not.toContain("Draft work plan");
  });

  it("serves an open community's thread to anyone as a Page with a name, addressed to the public", async () => {
    const [thread] = await discussions(hub, "commons");
    const answer = await fetch(thread?.uri ?? "", {
      headers: { accept: "application/activity+json" },
    });
    expect(answer.status).toBe(200);
    const page = await answer.json();
    expect(page).toMatchObject({ type: "Page", name: thread?.title });
    expect(JSON.stringify(page.to)).toContain("https://www.w3.org/ns/activitystreams#Public");
  });

  async function copyOn(peer: Peer, person: Person, title: string) {
    return (await discussions(peer, ref("commons"), person)).find((item) => item.title === title);
  }

  it("carries an author's edit to every copy", async () => {
    const thread = (await discussions(hub, "commons")).find(
      (item) => item.title === "Cash transfers in Malawi",
    );
    const edited = await hub.request("PATCH", `/api/v1/posts/${thread?.id}`, {
      token: admin.token,
      body: { content: "What did the *2024* evaluation find?" },
    });
    expect(edited.status).toBe(200);
    for (const [peer, person] of [
      [partner, bea],
      [third, tom],
    ] as const) {
      await eventually(
        async () => (await copyOn(peer, person, "Cash transfers in Malawi"))?.content ?? "",
        (content) => content.includes("<em>2024</em>"),
        `the edit on ${peer.host}`,
        all,
      );
    }
  });

  it("counts a like given on a partner server on the hub, once", async () => {
    const copy = await copyOn(partner, bea, "Cash transfers in Malawi");
    for (let i = 0; i < 2; i++) {
      const liked = await partner.request("POST", `/api/v1/posts/${copy?.id}/like`, {
        token: bea.token,
      });
      expect(liked.status).toBe(200);
    }
    const thread = (await discussions(hub, "commons")).find(
      (item) => item.title === "Cash transfers in Malawi",
    );
    await eventually(
      async () => (await hub.request("GET", `/api/v1/posts/${thread?.id}`)).body.likeCount,
      (count) => count === 1,
      "the like on the hub",
      all,
    );
    await partner.request("DELETE", `/api/v1/posts/${copy?.id}/like`, { token: bea.token });
    await eventually(
      async () => (await hub.request("GET", `/api/v1/posts/${thread?.id}`)).body.likeCount,
      (count) => count === 0,
      "the like taken back on the hub",
      all,
    );
  });

  it("removes a member's thread everywhere when a hub moderator deletes it", async () => {
    const onHub = (await discussions(hub, "commons")).find(
      (item) => item.title === "Targeting methods",
    );
    const deleted = await hub.request("DELETE", `/api/v1/posts/${onHub?.id}`, {
      token: admin.token,
    });
    expect(deleted.status).toBe(204);
    for (const [peer, person] of [
      [partner, bea],
      [third, tom],
    ] as const) {
      await eventually(
        () => copyOn(peer, person, "Targeting methods"),
        (copy) => copy === undefined,
        `the removal on ${peer.host}`,
        all,
      );
    }
  });

  it("removes a reply from the hub when its author deletes it at home", async () => {
    const copy = await copyOn(third, tom, "Cash transfers in Malawi");
    const mine = (
      await third.request("GET", `/api/v1/posts/${copy?.id}/comments`, { token: tom.token })
    ).body.items as { id: string; content: string }[];
    const reply = mine.find((c) => c.content.includes("rose by a fifth"));
    expect(
      (await third.request("DELETE", `/api/v1/comments/${reply?.id}`, { token: tom.token })).status,
    ).toBe(204);
    const thread = (await discussions(hub, "commons")).find(
      (item) => item.title === "Cash transfers in Malawi",
    );
    await eventually(
      async () =>
        (await hub.request("GET", `/api/v1/posts/${thread?.id}/comments`)).body.items as {
          content: string;
        }[],
      (items) => !items.some((c) => c.content.includes("rose by a fifth")),
      "the reply gone from the hub",
      all,
    );
  });
});
