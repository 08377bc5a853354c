import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPeerWithHttps } from "../peers/https-front.ts";
import { installTimeoutMs } from "../peers/peer-process.ts";
import { type Bovine, startBovine } from "../support/bovine.ts";
import type { Person } from "../support/client.ts";
import { type GoToSocial, startGoToSocial } from "../support/gotosocial.ts";
import { eventually, type Peer } from "../support/peer.ts";
import { killLaunched } from "../support/process.ts";

/**
 * Servers nobody here wrote take part in Praxis communities through their own software:
 * GoToSocial (Go, its Mastodon client API) and bovine-herd (Python, its client-to-server
 * outbox). Both are built by test/peers/install.sh; each step prints how long it took.
 */

/** How long a peer may take to show what Praxis sent; a step takes a second or two. */
const peerTimeoutMs = 30_000;
const stepTimeoutMs = 3 * peerTimeoutMs;

async function timed<T>(what: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    console.log(`[real-peers] ${what}: ${seconds} s`);
  }
}

/** Text without its HTML tags, to compare what a peer shows with what was written. */
const textOf = (html: unknown) => (typeof html === "string" ? html.replace(/<[^>]*>/g, "") : "");

describe("real fediverse servers as members of Praxis communities", () => {
  let hub: Peer;
  let admin: Person;
  let gts: GoToSocial;
  let bovine: Bovine;

  const group = (slug: string) => `${hub.origin}/actors/${slug}`;

  async function publish(slug: string, kind: "discussions" | "announcements", title: string) {
    const made = await hub.request("POST", `/api/v1/communities/${slug}/${kind}`, {
      token: admin.token,
      body: { title, content: `${title}: the body.` },
    });
    expect(made.status).toBe(201);
    return made.body as { id: string; uri: string };
  }

  const logs = () =>
    [
      hub && `--- praxis ---\n${hub.praxis.stderr()}`,
      gts && `--- gotosocial ---\n${gts.output()}`,
      bovine?.output(),
    ]
      .filter(Boolean)
      .join("\n");

  beforeAll(async () => {
    await timed(
      "start Praxis, GoToSocial and bovine-herd (building any that is missing)",
      async () => {
        [hub, gts, bovine] = await Promise.all([
          startPeerWithHttps("127.0.0.92"),
          startGoToSocial("127.0.0.90", ["gina"]),
          startBovine("127.0.0.91", "bea"),
        ]);
      },
    );
    admin = await hub.signUp("hubadmin");
    for (const [slug, privacy] of [
      ["commons", "open"],
      ["forum", "public"],
      ["circle", "semi_private"],
    ]) {
      const made = await hub.request("POST", "/api/v1/communities", {
        token: admin.token,
        body: { slug, name: slug, summary: "", privacy },
      });
      expect(made.status).toBe(201);
    }
  }, installTimeoutMs + 180_000);

  afterAll(async () => {
    await Promise.allSettled([hub?.stop(), gts?.stop(), bovine?.stop()]);
    await killLaunched();
  });

  /**
   * MEMBERS-ONLY: a public community's Page is for its members: addressed to the Group and its
   * followers, neither as:Public nor the author's followers, so GoToSocial reads it as a direct
   * message (internal/ap/extract.go, ExtractVisibility), refuses the Group's boost of it
   * (internal/federation/dereferencing/status_permitted.go) and shows a direct status only to
   * the accounts it mentions (internal/filter/visibility/status.go). So it reaches a member
   * there as a private mention from its author (federation/private-mentions.ts).
   */
  describe("a GoToSocial account", () => {
    let token: string;
    const groupIds = new Map<string, string>();
    /** GoToSocial's id of the status the open community's thread became there. */
    let statusId: string | undefined;
    let thread: { id: string; uri: string };

    const api = <T = any>(method: string, path: string, body?: unknown) =>
      gts.api<T>(method, path, token, body);

    /** The statuses GoToSocial shows of a community's account (boosts unwrapped). */
    async function statusesOf(
      slug: string,
    ): Promise<{ id: string; uri: string; content: string }[]> {
      const listed = await api<any[]>(
        "GET",
        `/api/v1/accounts/${groupIds.get(slug)}/statuses?limit=40`,
      );
      if (listed.status !== 200) return [];
      return listed.body.map((status) => status.reblog ?? status);
    }

    async function onGoToSocial<T>(
      what: string,
      probe: () => Promise<T>,
      accept: (value: T) => boolean,
    ) {
      return timed(`GoToSocial: ${what}`, () =>
        eventually(probe, accept, `${what} on GoToSocial`, [hub], peerTimeoutMs),
      ).catch((error) => {
        throw new Error(`${error.message}\n${logs()}`);
      });
    }

    async function threadOnGoToSocial(slug: string, title: string) {
      const made = await publish(slug, "discussions", title);
      const found = await onGoToSocial(
        `the thread in ${slug} among the group's statuses`,
        async () => (await statusesOf(slug)).find((s) => textOf(s.content).includes(title)),
        (status) => status !== undefined,
      );
      expect(found?.uri).toBe(made.uri);
      return { made, status: found };
    }

    beforeAll(async () => {
      token = await timed("GoToSocial: OAuth token through its sign-in and authorize pages", () =>
        gts.token("gina"),
      );
      for (const slug of ["commons", "forum"]) {
        const account = await timed(
          `GoToSocial: find @${slug}@${hub.host} (search, resolve)`,
          async () => {
            const query = encodeURIComponent(`@${slug}@${hub.host}`);
            const found = await api("GET", `/api/v2/search?q=${query}&resolve=true&type=accounts`);
            return found.body?.accounts?.[0] as { id: string; acct: string } | undefined;
          },
        );
        expect(account?.acct).toBe(`${slug}@${hub.host}`);
        if (account) groupIds.set(slug, account.id);
      }
    }, 60_000);

    it(
      "FOLLOW: follows an open and a public community and becomes a member of both",
      async () => {
        for (const slug of ["commons", "forum"]) {
          const id = groupIds.get(slug);
          const followed = await api("POST", `/api/v1/accounts/${id}/follow`);
          expect(followed.status, JSON.stringify(followed.body)).toBe(200);
          await onGoToSocial(
            `gina follows ${slug} (Praxis accepted)`,
            async () =>
              (await api<any[]>("GET", `/api/v1/accounts/relationships?id[]=${id}`)).body?.[0]
                ?.following,
            (following) => following === true,
          );
          const members = await hub.request("GET", `/api/v1/communities/${slug}/members`, {
            token: admin.token,
          });
          expect(members.body.items.map((m: any) => m.account.handle)).toContain(
            `@gina@${gts.host}`,
          );
        }
      },
      stepTimeoutMs,
    );

    it(
      "BOOST: reads the open community's new thread through GoToSocial's own API",
      async () => {
        const { made, status } = await threadOnGoToSocial("commons", "New in the commons");
        thread = made;
        statusId = status?.id;
        const home = await api<any[]>("GET", "/api/v1/timelines/home?limit=40");
        const texts = home.body.map((s) => textOf((s.reblog ?? s).content));
        expect(texts.some((text) => text.includes("New in the commons"))).toBe(true);
      },
      stepTimeoutMs,
    );

    it(
      "MEMBERS-ONLY: reads the public community's members-only thread as a private mention",
      async () => {
        const title = "New in the forum";
        const made = await publish("forum", "discussions", title);
        const found = await onGoToSocial(
          "the forum's thread among gina's mentions",
          async () => {
            const mentions = await api<any[]>("GET", "/api/v1/notifications");
            return (Array.isArray(mentions.body) ? mentions.body : [])
              .filter((notification) => notification.type === "mention")
              .map((notification) => notification.status)
              .find((status) => status && textOf(status.content).includes(title));
          },
          (status) => status !== undefined,
        );
        expect(found?.uri).toBe(made.uri);
        expect(found?.visibility).toBe("direct");
      },
      stepTimeoutMs,
    );

    it(
      "BOOST: replies from GoToSocial, and the reply appears in the Praxis thread",
      async () => {
        expect(statusId, "the thread reached GoToSocial").toBeDefined();
        const text = "A reply written on GoToSocial";
        const posted = await api("POST", "/api/v1/statuses", {
          status: `@commons@${hub.host} ${text}`,
          in_reply_to_id: statusId,
          visibility: "public",
        });
        expect(posted.status, JSON.stringify(posted.body)).toBe(200);
        await timed("Praxis: the GoToSocial reply among the thread's comments", () =>
          eventually(
            async () =>
              (
                (await hub.request("GET", `/api/v1/posts/${thread.id}/comments`)).body?.items ?? []
              ).map(
                (c: { content: string; author: { handle: string } }) =>
                  `${c.author.handle}: ${textOf(c.content)}`,
              ),
            (list: string[]) =>
              list.some((line) => line.startsWith(`@gina@${gts.host}`) && line.includes(text)),
            "gina's reply in Praxis",
            [hub],
            peerTimeoutMs,
          ),
        );
      },
      stepTimeoutMs,
    );

    it(
      "EDIT: sees the thread's edit",
      async () => {
        expect(statusId, "the thread reached GoToSocial").toBeDefined();
        const edited = await hub.request("PATCH", `/api/v1/posts/${thread.id}`, {
          token: admin.token,
          body: { content: "Edited in Praxis." },
        });
        expect(edited.status).toBe(200);
        await onGoToSocial(
          "the edit",
          async () => textOf((await api("GET", `/api/v1/statuses/${statusId}`)).body?.content),
          (content) => content.includes("Edited in Praxis."),
        );
      },
      stepTimeoutMs,
    );

    it(
      "DELETE: sees the thread's deletion",
      async () => {
        expect(statusId, "the thread reached GoToSocial").toBeDefined();
        const deleted = await hub.request("DELETE", `/api/v1/posts/${thread.id}`, {
          token: admin.token,
        });
        expect(deleted.status).toBe(204);
        await onGoToSocial(
          "the deletion",
          async () => (await api("GET", `/api/v1/statuses/${statusId}`)).status,
          (status) => status === 404,
        );
      },
      stepTimeoutMs,
    );
  });

  describe("a bovine actor", () => {
    let announcement: { id: string; uri: string };

    const idOf = (value: unknown) =>
      typeof value === "string" ? value : (value as { id?: string } | undefined)?.id;

    /** What bovine's inbox holds from the circle (bovine shows each actor resolved). */
    const fromCircle = async () =>
      (await bovine.inbox()).filter((item) => idOf(item?.actor) === group("circle"));

    /** An Announce of `type` (Create, Update, Delete) about the announcement, if bovine has one. */
    const relayed = (items: any[], type: string) =>
      items.find(
        (item) =>
          item.type === "Announce" &&
          item.object?.type === type &&
          idOf(item.object.object) === announcement.uri,
      );

    async function inInbox(what: string, accept: (items: any[]) => boolean) {
      return timed(`bovine: ${what} in its inbox`, () =>
        eventually(fromCircle, accept, `${what} in bea's inbox`, [hub], peerTimeoutMs),
      ).catch((error) => {
        throw new Error(`${error.message}\n${logs()}`);
      });
    }

    it(
      "asks to join a semi-private community, waits, and is approved by an admin",
      async () => {
        const sent = await timed("bovine: Follow through its outbox", () =>
          bovine.send({
            "@context": "https://www.w3.org/ns/activitystreams",
            type: "Follow",
            actor: bovine.actorId,
            object: group("circle"),
            to: [group("circle")],
          }),
        );
        expect(sent.status).toBe(201);
        const pending = await timed("Praxis: bea's request waits for the admins", () =>
          eventually(
            async () =>
              (
                await hub.request("GET", "/api/v1/communities/circle/members?state=pending", {
                  token: admin.token,
                })
              ).body.items as { id: string; account: { handle: string } }[],
            (items) => items.some((m) => m.account.handle === `@bea@${bovine.host}`),
            "bea's request to join",
            [hub],
            peerTimeoutMs,
          ),
        ).catch((error) => {
          throw new Error(`${error.message}\n${logs()}`);
        });
        expect(await fromCircle()).toEqual([]);
        const request = pending.find((m) => m.account.handle === `@bea@${bovine.host}`);
        const approved = await hub.request(
          "POST",
          `/api/v1/communities/circle/members/${request?.id}/approve`,
          { token: admin.token },
        );
        expect(approved.status).toBe(200);
        const items = await inInbox("the Accept", (list) => list.some((i) => i.type === "Accept"));
        const accept = items.find((item) => item.type === "Accept");
        expect(idOf(accept.object)).toBe(sent.location);
      },
      stepTimeoutMs,
    );

    it(
      "receives the community's next announcement",
      async () => {
        announcement = await publish("circle", "announcements", "Meeting moved to Thursday");
        await inInbox(
          "the Announce of the new announcement",
          (items) => relayed(items, "Create") !== undefined,
        );
        const page = await bovine.fetch(announcement.uri);
        expect(page.type).toBe("Page");
        expect(page.name).toBe("Meeting moved to Thursday");
        expect(textOf(page.content)).toContain("Meeting moved to Thursday: the body.");
      },
      stepTimeoutMs,
    );

    it(
      "sees the announcement's edit and then its deletion",
      async () => {
        expect(announcement, "the announcement reached bovine").toBeDefined();
        const edited = await hub.request("PATCH", `/api/v1/posts/${announcement.id}`, {
          token: admin.token,
          body: { content: "Thursday, 10:00, room 4." },
        });
        expect(edited.status).toBe(200);
        await inInbox(
          "the Announce of the edit",
          (items) => relayed(items, "Update") !== undefined,
        );
        expect(textOf((await bovine.fetch(announcement.uri)).content)).toContain("room 4");
        const deleted = await hub.request("DELETE", `/api/v1/posts/${announcement.id}`, {
          token: admin.token,
        });
        expect(deleted.status).toBe(204);
        await inInbox(
          "the Announce of the deletion",
          (items) => relayed(items, "Delete") !== undefined,
        );
        expect((await bovine.fetch(announcement.uri)).type).toBe("Tombstone");
      },
      stepTimeoutMs,
    );
  });
});
