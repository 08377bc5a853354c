import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Person } from "../support/client.ts";
import { freshDatabase } from "../support/database.ts";
import { fixture } from "../support/fake-peer.ts";
import { addRemoteMember } from "../support/inbox-listener.ts";
import { type Peer, startPeer } from "../support/peer.ts";
import { lemmyProblems } from "../support/peer-acceptance/lemmy.ts";
import { mastodonProblems } from "../support/peer-acceptance/mastodon.ts";
import { mobilizonProblems } from "../support/peer-acceptance/mobilizon.ts";
import {
  idOf,
  isObject,
  type Json,
  publicAddress,
  type Seen,
} from "../support/peer-acceptance/rules.ts";
import { killLaunched } from "../support/process.ts";
import { type RawActor, type RawPeer, signedRequest, startRawPeer } from "../support/raw-peer.ts";

type Check = (document: Json, seen: Seen) => string[];
const peers: [string, Check][] = [
  ["Lemmy", lemmyProblems],
  ["Mastodon", mastodonProblems],
  ["Mobilizon", mobilizonProblems],
];

interface Served {
  url: string;
  as: Seen["as"];
  document: Json;
}

/** What an activity is about: the post or comment it creates, edits, deletes or boosts. */
const targetOf = (activity: Json): string | undefined => {
  const inner = activity.object;
  return isObject(inner) && "actor" in inner ? idOf(inner.object) : idOf(inner);
};

/** Whether the activity relays another activity rather than a post or comment itself. */
const relaysAnActivity = (activity: Json) =>
  activity.type === "Announce" && isObject(activity.object) && "actor" in activity.object;

/**
 * The refusals that follow from what Praxis must do, each with its reason; any other problem
 * fails. The tests after the per-peer ones prove each peer gets what it refuses another way.
 */
const refusalsByDesign: {
  peer: string;
  rule: string;
  when: (
    document: Json,
    seen: Seen,
    readers: ReadonlyMap<string, "anyone" | "members" | "private file">,
  ) => boolean;
}[] = [
  // Lemmy takes the Announce of the Create, Mastodon its boost: each is sent.
  {
    peer: "Lemmy",
    rule: "CannotReceivePage",
    when: (d) => d.type === "Announce" && !relaysAnActivity(d),
  },
  { peer: "Mastodon", rule: "fetch_resource", when: relaysAnActivity },
  { peer: "Mastodon", rule: "fetch_remote_original_status", when: relaysAnActivity },
  // Mastodon boosts only what is public; members-only writing is for Praxis and Lemmy.
  {
    peer: "Mastodon",
    rule: "announceable?",
    when: (d, _, readers) => readers.get(targetOf(d) ?? "") !== "anyone",
  },
  // Lemmy has no members-only post in a public community: a private file is not for it.
  {
    peer: "Lemmy",
    rule: "verify_visibility",
    when: (d, _, readers) =>
      readers.get(d.type === "Page" ? d.id : (targetOf(d) ?? "")) === "private file",
  },
  // Fedify writes every collection it serves as an OrderedCollection of orderedItems; Lemmy
  // then only lacks the follower count (fetch_community_collections ignores the error).
  { peer: "Lemmy", rule: "GroupFollowers", when: (_, seen) => seen.as === "followers" },
  // Lemmy takes a community's Update only from a moderator; it re-reads Groups on its own.
  { peer: "Lemmy", rule: "community/update.rs", when: (d) => d.object?.type === "Group" },
];

/** Every privacy level, an archived and a hidden community, and a working group. */
const communities = [
  { slug: "commons", privacy: "open" },
  { slug: "members-circle", privacy: "public" },
  { slug: "approval-circle", privacy: "semi_private" },
  { slug: "invited-circle", privacy: "private" },
  { slug: "old-circle", privacy: "open", archive: true },
  { slug: "quiet-circle", privacy: "open", hidden: true },
  { slug: "commons-wg", privacy: "semi_private", parent: "commons" },
] as const;

/**
 * One Praxis and a member on a server that shares no code with it: every kind of post Praxis
 * has, in every kind of community, and every document it serves or sends about them, run
 * through the acceptance rules of Lemmy, Mastodon and Mobilizon (test/support/peer-acceptance).
 */
describe("what Praxis emits, as Lemmy, Mastodon and Mobilizon accept it", () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: Peer;
  let home: RawPeer;
  let member: RawActor;
  let owner: Person;
  const served = new Map<string, Json>();
  const documents: Served[] = [];
  /** Post and comment ids, with whether anyone at all may read them. */
  const objects: { url: string; everyone: boolean }[] = [];
  /** Who may read each post and comment, the deleted ones included. */
  const readers = new Map<string, "anyone" | "members" | "private file">();

  const api = (method: string, path: string, body?: unknown) =>
    hub.request(method, `/api/v1${path}`, { token: owner.token, body });

  /** Fetches as anyone first, and as the member where that is refused or hidden. */
  async function fetchJson(url: string): Promise<Json | null> {
    const accept = { accept: "application/activity+json" };
    let response = await fetch(url, { headers: accept });
    if (!response.ok) response = await fetch(signedRequest("GET", url, member));
    return response.ok ? ((await response.json()) as Json) : null;
  }

  async function serve(url: string, as: Seen["as"]): Promise<Json | null> {
    const document = await fetchJson(url);
    if (!document) return null;
    served.set(url, document);
    documents.push({ url, as, document });
    return document;
  }

  function written(url: string, everyone: boolean) {
    objects.push({ url, everyone });
    readers.set(url, everyone ? "anyone" : "members");
  }

  async function publishAll(slug: string, open: boolean) {
    const post = async (path: string, body: unknown) => {
      const answer = await api("POST", `/communities/${slug}/${path}`, body);
      expect(answer.status, `${path} in ${slug}: ${JSON.stringify(answer.body)}`).toBe(201);
      written(`${hub.origin}/posts/${answer.body.id}`, open);
      return answer.body as { id: string };
    };
    const thread = await post("discussions", {
      title: `Cash transfers (${slug})`,
      content: "What **worked**?",
    });
    await post("announcements", { title: `Webinar series (${slug})`, content: "Register now." });
    const topic = await post("pages", { title: `Readings (${slug})`, content: "Start here." });
    await post("pages", {
      title: `Evaluations (${slug})`,
      content: "Three of them.",
      parent: topic.id,
    });
    await post("events", {
      title: `Peer exchange (${slug})`,
      content: "Bring your data.",
      startsAt: "2027-03-04T09:00:00Z",
      endsAt: "2027-03-04T10:30:00Z",
      timezone: "Africa/Nairobi",
      location: "Nairobi",
      onlineUrl: "https://meet.example.org/peer-exchange",
    });
    for (const privately of [false, true]) {
      const form = new FormData();
      form.set("file", new File(["%PDF-1.4\n% toolkit\n"], "toolkit.pdf"));
      form.set("title", `Toolkit (${slug}${privately ? ", members" : ""})`);
      form.set("description", "The targeting toolkit.");
      form.set("private", String(privately));
      const shared = await hub.request("POST", `/api/v1/communities/${slug}/files`, {
        token: owner.token,
        body: form,
      });
      expect(shared.status, JSON.stringify(shared.body)).toBe(201);
      const url = `${hub.origin}/posts/${shared.body.id}`;
      written(url, open && !privately);
      if (open && privately) readers.set(url, "private file");
    }
    const comment = await api("POST", `/posts/${thread.id}/comments`, {
      content: "In Malawi, yes.",
    });
    const reply = await api("POST", `/posts/${thread.id}/comments`, {
      content: "Consumption rose by a fifth.",
      inReplyTo: comment.body.id,
    });
    for (const each of [comment, reply]) {
      written(`${hub.origin}/comments/${each.body.id}`, open);
    }
    expect(
      (
        await api("PATCH", `/posts/${thread.id}`, {
          content: "What *worked*, and where?",
          pinned: true,
        })
      ).status,
    ).toBe(200);
    const gone = await post("discussions", { title: `Off topic (${slug})`, content: "Sorry." });
    // What is deleted is read while it exists, as a peer fetching it on arrival would read it.
    for (const deleted of objects.splice(-2)) await serve(deleted.url, "object");
    expect((await api("DELETE", `/posts/${gone.id}`)).status).toBe(204);
    expect((await api("DELETE", `/comments/${reply.body.id}`)).status).toBe(204);
  }

  /** Waits until every delivery that is due has been made. */
  async function deliveriesMade() {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const [row] = await database.sql`
        select count(*)::int as due from queued_messages
        where queue <> 'inbox' and deliver_at <= now()`;
      if (row?.due === 0) return;
      await sleep(100);
    }
    throw new Error("deliveries still due after 60 s");
  }

  beforeAll(async () => {
    database = await freshDatabase();
    [hub, home] = await Promise.all([
      startPeer("127.0.0.120", { DATABASE_URL: database.url }),
      startRawPeer("127.0.0.121"),
    ]);
    member = home.person("member");
    owner = await hub.signUp("owner");
    let joined = false;
    for (const { slug, privacy, ...rest } of communities) {
      const created = await api("POST", "/communities", {
        slug,
        name: slug,
        summary: `The ${slug} community.`,
        privacy,
        ...("hidden" in rest ? { hidden: true } : {}),
        ...("parent" in rest ? { parent: rest.parent } : {}),
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const [community] = await database.sql`select id from communities where slug = ${slug}`;
      if (!joined) {
        await addRemoteMember(database.db, community?.id, home.host, "member");
        joined = true;
      } else {
        await database.sql`insert into memberships (community_id, account_id, state)
          select ${community?.id}, id, 'active' from accounts where uri = ${member.id}`;
      }
      await publishAll(slug, privacy === "open" && !("hidden" in rest));
      if ("archive" in rest)
        expect((await api("PATCH", `/communities/${slug}`, { archived: true })).status).toBe(200);
    }
    await deliveriesMade();

    for (const { slug } of communities) {
      const group = await serve(`${hub.origin}/actors/${slug}`, "actor");
      if (!group) throw new Error(`the Group ${slug} was not served`);
      for (const [field, as] of [
        ["outbox", "outbox"],
        ["followers", "followers"],
        ["featured", "featured"],
        ["attributedTo", "moderators"],
        ["praxis:history", "collection"],
      ] as const) {
        const collection = await serve(group[field], as);
        if (collection?.first) await serve(collection.first, "collection");
      }
    }
    const person = await serve(`${hub.origin}/actors/owner`, "actor");
    if (person?.outbox) await serve(person.outbox, "person-outbox");
    for (const { url } of objects) await serve(url, "object");
  }, 300_000);

  afterAll(async () => {
    await Promise.allSettled([hub?.stop(), home?.close()]);
    await killLaunched();
    await database?.close();
  });

  const activities = () => home.received.map(({ body }) => body as Json);
  /** What `peer` refuses of `document` that no reason in refusalsByDesign covers. */
  const unexpected = (peer: string, check: Check, document: Json, seen: Seen) =>
    check(document, seen).filter(
      (problem) =>
        !refusalsByDesign.some(
          (refusal) =>
            refusal.peer === peer &&
            problem.includes(refusal.rule) &&
            refusal.when(document, seen, readers),
        ),
    );
  const problemsOf = (peer: string, check: Check, kinds: Seen["as"][]) =>
    documents
      .filter((each) => kinds.includes(each.as))
      .flatMap(({ url, as, document }) =>
        unexpected(peer, check, document, { as, url, served }).map((p) => `${url}: ${p}`),
      );

  for (const [peer, check] of peers) {
    it(`${peer} takes the Group and Person actors`, () => {
      expect(problemsOf(peer, check, ["actor"])).toEqual([]);
    });

    it(`${peer} takes every collection and page of one`, () => {
      expect(
        problemsOf(peer, check, [
          "outbox",
          "person-outbox",
          "followers",
          "featured",
          "moderators",
          "collection",
        ]),
      ).toEqual([]);
    });

    it(`${peer} takes every post and comment fetched by its id`, () => {
      expect(objects.length).toBe(communities.length * 8);
      expect(problemsOf(peer, check, ["object"])).toEqual([]);
    });

    it(`${peer} takes every activity the member's server received`, () => {
      expect(activities().length).toBeGreaterThan(100);
      const problems = activities().flatMap((activity) =>
        unexpected(peer, check, activity, { as: "activity", served }).map(
          (p) => `${activity.id}: ${p}`,
        ),
      );
      expect(problems).toEqual([]);
    });
  }

  it("gives Lemmy every post and comment wrapped, and Mastodon every public one boosted", () => {
    const created = activities().filter((a) => relaysAnActivity(a) && a.object.type === "Create");
    expect(created.length).toBe(communities.length * 10);
    const missed = created.flatMap((wrapped) => {
      const target = targetOf(wrapped);
      const boost = activities().find(
        (a) => a.type === "Announce" && !relaysAnActivity(a) && targetOf(a) === target,
      );
      const seen: Seen = { as: "activity", served };
      const lemmy = lemmyProblems(wrapped, seen).filter(
        (problem) =>
          readers.get(target ?? "") !== "private file" || !problem.includes("verify_visibility"),
      );
      const mastodon =
        readers.get(target ?? "") === "anyone"
          ? boost
            ? mastodonProblems(boost, seen)
            : ["Mastodon: no boost sent"]
          : [];
      return [...lemmy, ...mastodon].map((problem) => `${target}: ${problem}`);
    });
    expect(missed).toEqual([]);
  });

  it("gives Mastodon every edit and deletion from its author", () => {
    const relayed = activities().filter(
      (a) => relaysAnActivity(a) && ["Update", "Delete"].includes(a.object.type),
    );
    expect(relayed.length).toBe(communities.length * 3);
    const missed = relayed.flatMap((wrapped) => {
      const direct = activities().find(
        (a) => a.type === wrapped.object.type && targetOf(a) === targetOf(wrapped),
      );
      if (!direct) return [`${wrapped.object.id}: not sent by its author`];
      return mastodonProblems(direct, { as: "activity", served }).map((p) => `${direct.id}: ${p}`);
    });
    expect(missed).toEqual([]);
  });

  it("gives each thread its own context, shared by its replies (FEP-7888)", () => {
    const posts = objects.filter(({ url }) => url.includes("/posts/"));
    expect(posts.map(({ url }) => served.get(url)?.context)).toEqual(posts.map(({ url }) => url));
    const threads = activities()
      .filter((a) => a.type === "Create" || (a.type === "Announce" && a.object?.type === "Create"))
      .map((a) => (a.type === "Create" ? a.object : a.object.object))
      .filter((note) => note.type === "Note");
    expect(threads.length).toBeGreaterThan(0);
    for (const note of threads) {
      const thread = served.get(note.inReplyTo)?.inReplyTo ?? note.inReplyTo;
      expect(note.context, note.id).toBe(thread);
    }
  });

  it("tells Lemmy that nobody posts in an archived community", () => {
    for (const { slug, ...rest } of communities) {
      const group = served.get(`${hub.origin}/actors/${slug}`);
      expect(group?.postingRestrictedToMods, slug).toBe("archive" in rest);
    }
  });

  it("lists in a person's outbox only what the requester may read", async () => {
    const outbox = `${hub.origin}/actors/owner/outbox`;
    const listed = async (response: Response) =>
      JSON.stringify(((await response.json()) as Json).orderedItems ?? []);
    const forAnyone = await listed(
      await fetch(outbox, { headers: { accept: "application/activity+json" } }),
    );
    const forMember = await listed(await fetch(signedRequest("GET", outbox, member)));
    const hidden = objects.filter((each) => !each.everyone && each.url.includes("/posts/"));
    expect(hidden.filter(({ url }) => forAnyone.includes(`"${url}"`))).toEqual([]);
    expect(forMember).toContain(hidden.at(-1)?.url);
    expect(JSON.parse(forAnyone).length).toBeGreaterThan(0);
  });

  it("addresses members-only writing to the followers, never to the public", () => {
    for (const { url, everyone } of objects) {
      const document = served.get(url);
      const to = document?.to;
      expect(Array.isArray(to), `${url}: to ${JSON.stringify(to)}`).toBe(true);
      expect(to.includes(publicAddress), url).toBe(everyone);
    }
  });
});

/**
 * The rules themselves: each peer's own documents pass its rules (they are not stricter than
 * the peer), and what the peer's code refuses fails them (they can fail).
 */
describe("the acceptance rules, on the peers' own documents", () => {
  const served = new Map<string, Json>();
  const read = (path: string) => {
    const document = fixture(path);
    served.set(document.id, document);
    return document;
  };
  const lemmy = {
    group: read("lemmy/objects/group.json"),
    person: read("lemmy/objects/person.json"),
    page: read("lemmy/objects/page.json"),
    comment: read("lemmy/objects/comment.json"),
  };
  const mastodon = {
    person: read("mastodon/objects/person.json"),
    note: read("mastodon/objects/note_1.json"),
  };
  const mobilizon = {
    group: read("mobilizon/objects/group.json"),
    person: read("mobilizon/objects/person.json"),
    event: read("mobilizon/objects/event.json"),
  };
  const at = (document: Json, as: Seen["as"]): Seen => ({ as, url: document.id, served });
  const collection = (path: string, as: Seen["as"]) => {
    const document = fixture(path);
    return lemmyProblems(document, at(document, as));
  };

  it("finds nothing wrong with Lemmy's, Mastodon's and Mobilizon's own documents", () => {
    expect([
      ...[lemmy.group, lemmy.person].flatMap((d) => lemmyProblems(d, at(d, "actor"))),
      ...[lemmy.page, lemmy.comment].flatMap((d) => lemmyProblems(d, at(d, "object"))),
      ...collection("lemmy/collections/group_outbox.json", "outbox"),
      ...collection("lemmy/collections/group_featured_posts.json", "featured"),
      ...collection("lemmy/collections/group_followers.json", "followers"),
      ...collection("lemmy/collections/group_moderators.json", "moderators"),
      ...mastodonProblems(mastodon.person, at(mastodon.person, "actor")),
      ...mastodonProblems(mastodon.note, at(mastodon.note, "object")),
      ...[mobilizon.group, mobilizon.person].flatMap((d) => mobilizonProblems(d, at(d, "actor"))),
      ...mobilizonProblems(mobilizon.event, at(mobilizon.event, "object")),
    ]).toEqual([]);
  });

  it("refuses what each peer's code refuses", () => {
    const without = (document: Json, field: string) => ({ ...document, [field]: undefined });
    const refused = (problems: string[], rule: string) =>
      expect(problems.join("\n")).toContain(rule);
    refused(
      lemmyProblems(without(lemmy.person, "outbox"), at(lemmy.person, "actor")),
      "Person (outbox)",
    );
    refused(
      lemmyProblems(
        { ...lemmy.page, attachment: { type: "Link", href: lemmy.page.id } },
        at(lemmy.page, "object"),
      ),
      "attachment: Vec",
    );
    refused(
      lemmyProblems({ ...lemmy.page, type: "Document" }, at(lemmy.page, "object")),
      "PageType",
    );
    refused(
      mastodonProblems(without(mastodon.person, "inbox"), at(mastodon.person, "actor")),
      "process_account_service.rb call",
    );
    refused(
      mastodonProblems({ ...mastodon.note, type: "Document" }, at(mastodon.note, "object")),
      "expected_object_type?",
    );
    refused(
      mobilizonProblems({ ...mobilizon.event, to: publicAddress }, at(mobilizon.event, "object")),
      "get_recipients",
    );
    refused(
      mobilizonProblems(
        { ...mobilizon.event, actor: undefined, attributedTo: [mobilizon.person.id] },
        at(mobilizon.event, "object"),
      ),
      "maybe_fetch_actor_and_attributed_to_id",
    );
  });
});
