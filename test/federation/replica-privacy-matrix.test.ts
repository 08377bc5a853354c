import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Community } from "../../db/schema/communities.ts";
import {
  canReadContent,
  canReadFile,
  canSeeCommunity,
  type Relation,
} from "../../server/services/privacy.ts";
import type { Answer, Person } from "../support/client.ts";
import { eventually, type Peer, startPeer } from "../support/peer.ts";
import { killLaunched } from "../support/process.ts";

/*
 * The privacy matrix on replicas. Communities at every level live on a hub; a partner keeps
 * copies of them because one of its people is a member of each (of a hidden one by a handle
 * invitation, the only way in from another server), and a bystander server knows of them
 * only by looking them up. Whatever a viewer on the partner or the bystander is
 * answered must be what the hub's own rule (services/privacy.ts, called here with the
 * viewer's relation, never restated) gives the analogous local viewer — and nothing of a
 * members-only community may reach a non-member on any of the three servers.
 */

type Level = Pick<Community, "privacy" | "hidden">;

const levels = {
  open: { privacy: "open", hidden: false },
  public: { privacy: "public", hidden: false },
  semi_private: { privacy: "semi_private", hidden: false },
  private: { privacy: "private", hidden: false },
  "open+hidden": { privacy: "open", hidden: true },
  "public+hidden": { privacy: "public", hidden: true },
  "semi_private+hidden": { privacy: "semi_private", hidden: true },
  "private+hidden": { privacy: "private", hidden: true },
} as const satisfies Record<string, Level>;
type LevelName = keyof typeof levels;
const levelNames = Object.keys(levels) as LevelName[];

const kinds = ["discussion", "announcement", "page", "event", "file", "private file"] as const;
type Kind = (typeof kinds)[number];
/** Content written before the partner's member joined (read as history) and after (relayed). */
const phases = ["history", "relayed"] as const;
type Phase = (typeof phases)[number];

interface Item {
  kind: Kind;
  phase: Phase;
  /** "discussion/history": how the item is named in observed and expected answers. */
  label: string;
  /** A word found in nothing else, in the item's title. */
  word: string;
}

const titleOf = (item: Item) => `Item ${item.word}`;

/**
 * The items of a community at `level`, their words made its own by `name`. A file marked
 * members-only exists in open communities only: elsewhere every file is members-only.
 */
const itemsOf = (level: LevelName, name: string = level): Item[] =>
  phases.flatMap((phase) =>
    kinds
      .filter((kind) => kind !== "private file" || levels[level].privacy === "open")
      .map((kind) => ({
        kind,
        phase,
        label: `${kind}/${phase}`,
        word: `rpm${name.replaceAll(/[^a-z]/g, "")}${kind.replaceAll(" ", "")}${phase}`,
      })),
  );

const listOf: Record<Kind, string> = {
  discussion: "discussions",
  announcement: "announcements",
  page: "pages",
  event: "events",
  file: "files",
  "private file": "files",
};
const fileFlagOf = (kind: Kind) =>
  kind === "file" ? { private: false } : kind === "private file" ? { private: true } : null;

type ServerName = "hub" | "partner" | "bystander";

interface Viewer {
  server: ServerName;
  /** Who signs in, by their role in the cast; null for an anonymous visitor. */
  person: "member" | "applicant" | "invitee" | "outsider" | "visitor" | "hubVisitor" | null;
  /** The relation the analogous local viewer has to the community at its home. */
  relation: Relation;
  /** Levels at which this viewer is set up (nobody waits on an open community). */
  at?: (level: LevelName) => boolean;
}

const active: Relation = { state: "active", role: "member" };
const waiting: Relation = { state: "pending", role: "member" };
const invited: Relation = { state: "invited", role: "member" };

const viewers = {
  "partner anonymous": { server: "partner", person: null, relation: null },
  "partner non-member": { server: "partner", person: "outsider", relation: null },
  "partner pending member": {
    server: "partner",
    person: "applicant",
    relation: waiting,
    // In semi_private+hidden the applicant asked while the community was still listed, and
    // it hid afterwards: asking first is the only way to wait on a hidden community, since
    // an invitation (the only way to find one) admits at once.
    at: (level) => levels[level].privacy === "semi_private",
  },
  "partner invited": {
    server: "partner",
    person: "invitee",
    relation: invited,
    at: (level) => levels[level].hidden,
  },
  "partner active member": { server: "partner", person: "member", relation: active },
  "bystander anonymous": { server: "bystander", person: null, relation: null },
  "bystander signed-in": { server: "bystander", person: "visitor", relation: null },
  "hub anonymous": { server: "hub", person: null, relation: null },
  "hub non-member": { server: "hub", person: "hubVisitor", relation: null },
} as const satisfies Record<string, Viewer>;
type ViewerName = keyof typeof viewers;

const viewerNames = Object.keys(viewers) as ViewerName[];
const exists = (viewer: ViewerName, level: LevelName) => {
  const at = (viewers[viewer] as Viewer).at;
  return at ? at(level) : true;
};

const checks = ["about", "lists", "posts by id", "search"] as const;
type Check = (typeof checks)[number];

/*
 * What the rule says, in the words the API answers with. The privacy decision is always the
 * rule's own; only how a refusal is spelt (API.md: 401 when signing in could help, 404 when
 * the community does not exist for the viewer) is written here.
 */
type Outcome = Record<string, string>;

const UNSEEN = "404 community_not_found";
const HIDDEN_POST = "404 post_not_found";

function refusalOfContent(level: Level, relation: Relation, signedIn: boolean): string | null {
  if (!canSeeCommunity(level, relation)) return UNSEEN;
  if (!canReadContent(level, relation)) return signedIn ? "403 members_only" : "401 not_signed_in";
  return null;
}

function expectedAbout(level: Level, relation: Relation): Outcome {
  const seen = canSeeCommunity(level, relation);
  return { about: seen ? "200" : UNSEEN, directory: seen ? "listed" : "not listed" };
}

function expectedLists(items: Item[], level: Level, relation: Relation, signedIn: boolean) {
  const refusal = refusalOfContent(level, relation, signedIn);
  return Object.fromEntries(
    items.map((item) => [
      item.label,
      refusal ?? (canReadFile(level, fileFlagOf(item.kind), relation) ? "listed" : "not listed"),
    ]),
  );
}

function expectedPosts(items: Item[], level: Level, relation: Relation): Outcome {
  return Object.fromEntries(
    items.map((item) => [
      item.label,
      canReadFile(level, fileFlagOf(item.kind), relation) ? "200" : HIDDEN_POST,
    ]),
  );
}

function expectedSearch(items: Item[], level: Level, relation: Relation): Outcome {
  return Object.fromEntries(
    items.map((item) => [
      item.label,
      canReadFile(level, fileFlagOf(item.kind), relation) ? "found" : "not found",
    ]),
  );
}

function expectedFor(check: Check, items: Item[], level: Level, viewer: Viewer): Outcome {
  const { relation } = viewer;
  switch (check) {
    case "about":
      return expectedAbout(level, relation);
    case "lists":
      return expectedLists(items, level, relation, viewer.person !== null);
    case "posts by id":
      return expectedPosts(items, level, relation);
    case "search":
      return expectedSearch(items, level, relation);
  }
}

/** A short name for an expected outcome, for the test's title. */
function summary(outcome: Outcome): string {
  return [...new Set(Object.values(outcome))].join(" / ");
}

const label = (answer: Answer) =>
  answer.status < 400 ? String(answer.status) : `${answer.status} ${answer.body?.error?.code}`;

describe("the privacy matrix on a partner's replicas", () => {
  let hub: Peer;
  let partner: Peer;
  let bystander: Peer;
  let admin: Person;
  const cast = {} as Record<NonNullable<Viewer["person"]>, Person>;
  /** Each item's id on the hub and on the partner (where it arrived), by community and label. */
  const ids: Record<"hub" | "partner", Map<string, Map<string, string>>> = {
    hub: new Map(),
    partner: new Map(),
  };
  const pdf = new TextEncoder().encode("%PDF-1.4\n%%EOF\n");

  const slugOf = (level: LevelName | "switch") => `rpm-${level.replaceAll(/[_+]/g, "-")}`;
  const peerOf = (server: ServerName) =>
    server === "hub" ? hub : server === "partner" ? partner : bystander;
  /** The community as each server names it: by slug at home, by `slug@hub` elsewhere. */
  const refOn = (server: ServerName, slug: string) =>
    server === "hub" ? slug : `${slug}@${hub.host}`;
  const tokenOf = (viewer: Viewer) => (viewer.person ? cast[viewer.person].token : undefined);

  async function must(answer: Promise<Answer>, status: number, what: string): Promise<Answer> {
    const settled = await answer;
    if (settled.status !== status)
      throw new Error(`${what}: ${settled.status} ${JSON.stringify(settled.body)}`);
    return settled;
  }

  function publishOnHub(slug: string, item: Item): Promise<Answer> {
    const title = titleOf(item);
    const path = `/api/v1/communities/${slug}`;
    const token = admin.token;
    switch (item.kind) {
      case "discussion":
      case "announcement":
      case "page":
        return hub.request("POST", `${path}/${item.kind}s`, {
          token,
          body: { title, content: `About ${title}.` },
        });
      case "event":
        return hub.request("POST", `${path}/events`, {
          token,
          body: {
            title,
            content: `About ${title}.`,
            startsAt: "2030-05-01T10:00",
            endsAt: "2030-05-01T12:00",
            timezone: "Europe/Lisbon",
          },
        });
      case "file":
      case "private file": {
        const form = new FormData();
        form.set("file", new Blob([pdf]), "document.pdf");
        form.set("title", title);
        form.set("private", String(item.kind === "private file"));
        return hub.request("POST", `${path}/files`, { token, body: form });
      }
    }
  }

  async function publishPhase(slug: string, items: Item[], phase: Phase): Promise<void> {
    const byLabel = ids.hub.get(slug) ?? new Map<string, string>();
    ids.hub.set(slug, byLabel);
    for (const item of items.filter((each) => each.phase === phase)) {
      const published = await must(publishOnHub(slug, item), 201, `${item.label} in ${slug}`);
      byLabel.set(item.label, published.body.id);
    }
  }

  async function createOnHub(slug: string, level: Level): Promise<void> {
    await must(
      hub.request("POST", "/api/v1/communities", {
        token: admin.token,
        body: { slug, name: `Replica matrix ${slug}`, ...level },
      }),
      201,
      `create ${slug}`,
    );
  }

  const askFromPartner = (slug: string, person: Person, message?: string) =>
    must(
      partner.request("POST", `/api/v1/communities/${refOn("partner", slug)}/join`, {
        token: person.token,
        body: message ? { message } : {},
      }),
      200,
      `${person.username} asks to join ${slug} from the partner`,
    );

  const pendingAtHub = (slug: string, count: number) =>
    eventually(
      async () =>
        (
          await hub.request("GET", `/api/v1/communities/${slug}/members?state=pending`, {
            token: admin.token,
          })
        ).body.items as { id: string; account: { handle: string } }[],
      (pending) => pending.length === count,
      `${count} partner request(s) to join ${slug} at the hub`,
      [hub, partner],
    );

  const notificationsOf = async (person: Person) =>
    (await partner.request("GET", "/api/v1/notifications", { token: person.token })).body?.items as
      | { kind: string; data: Record<string, string> }[]
      | undefined;

  /** The hub's admin invites a person of the partner by handle; the partner tells them. */
  async function inviteFromHub(slug: string, person: Person): Promise<void> {
    await must(
      hub.request("POST", `/api/v1/communities/${slug}/invitations`, {
        token: admin.token,
        body: { handle: `@${person.username}@${partner.host}` },
      }),
      201,
      `invite ${person.username} to ${slug}`,
    );
    await eventually(
      () => notificationsOf(person),
      (notices) =>
        notices?.some(
          (notice) =>
            notice.kind === "invitation" && notice.data.community === refOn("partner", slug),
        ) ?? false,
      `${person.username}'s invitation to ${slug} on the partner`,
      [hub, partner],
    );
  }

  /**
   * The partner's people ask to join; the hub admits its member (by invitation, or approval).
   * A hidden community is found from the partner only by invitation; in one of them the
   * partner's invitee is told and never joins. The member joins once told of the invitation,
   * as a person would.
   */
  async function joinFromPartner(slug: string, level: Level): Promise<void> {
    if (level.privacy === "semi_private") {
      await askFromPartner(slug, cast.applicant, "Please let me in.");
      if (level.hidden) {
        // Created listed (see createdAs): it hides once the applicant waits.
        await pendingAtHub(slug, 1);
        await must(
          hub.request("PATCH", `/api/v1/communities/${slug}`, {
            token: admin.token,
            body: { hidden: true },
          }),
          200,
          `hide ${slug}`,
        );
      }
    }
    const byInvitation = level.hidden || level.privacy === "private";
    await Promise.all([
      byInvitation && inviteFromHub(slug, cast.member),
      level.hidden && inviteFromHub(slug, cast.invitee),
    ]);
    await askFromPartner(slug, cast.member);
    if (level.privacy !== "semi_private" || byInvitation) return;
    const requests = await pendingAtHub(slug, 2);
    const memberHandle = `@${cast.member.username}@${partner.host}`;
    const request = requests.find((each) => each.account.handle === memberHandle);
    await must(
      hub.request("POST", `/api/v1/communities/${slug}/members/${request?.id}/approve`, {
        token: admin.token,
        body: {},
      }),
      200,
      `approve the partner's member in ${slug}`,
    );
  }

  /** How a community is first created: a semi-private hidden one is listed until its applicant waits. */
  const createdAs = (level: Level): Level =>
    level.privacy === "semi_private" && level.hidden ? { ...level, hidden: false } : level;

  const viewerStateOnPartner = async (slug: string, person: Person) =>
    (
      await partner.request("GET", `/api/v1/communities/${refOn("partner", slug)}`, {
        token: person.token,
      })
    ).body?.viewer?.state as string | undefined;

  /** What the partner's member sees listed there, as item label → the copy's id. */
  async function partnerCopies(slug: string, items: Item[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const ref = refOn("partner", slug);
    for (const list of new Set(items.map((item) => listOf[item.kind]))) {
      const answer = await partner.request("GET", `/api/v1/communities/${ref}/${list}?limit=100`, {
        token: cast.member.token,
      });
      if (answer.status !== 200) continue;
      for (const { id, title } of answer.body.items as { id: string; title: string }[]) {
        const item = items.find((each) => titleOf(each) === title);
        if (item && listOf[item.kind] === list) found.set(item.label, id);
      }
    }
    return found;
  }

  /**
   * Waits for every item to reach the partner's member, but does not fail the setup when
   * some never do: the cells then show what is missing, cell by cell.
   */
  async function awaitReplication(slug: string, items: Item[]): Promise<void> {
    const deadline = Date.now() + 25_000;
    let copies = await partnerCopies(slug, items);
    while (copies.size < items.length && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 200));
      copies = await partnerCopies(slug, items);
    }
    ids.partner.set(slug, copies);
  }

  beforeAll(async () => {
    [hub, partner, bystander] = await Promise.all([
      startPeer("127.0.0.110"),
      startPeer("127.0.0.111"),
      startPeer("127.0.0.112"),
    ]);
    // Each instance's first account administers it; none of them plays a viewer.
    [admin] = await Promise.all([
      hub.signUp("rpm_hubadmin"),
      partner.signUp("rpm_partnerroot"),
      bystander.signUp("rpm_bystanderroot"),
    ]);
    const [member, applicant, invitee, outsider, visitor, hubVisitor] = await Promise.all([
      partner.signUp("rpm_mira"),
      partner.signUp("rpm_omar"),
      partner.signUp("rpm_ines"),
      partner.signUp("rpm_lena"),
      bystander.signUp("rpm_bea"),
      hub.signUp("rpm_hugo"),
    ]);
    Object.assign(cast, { member, applicant, invitee, outsider, visitor, hubVisitor });

    const communities = [
      ...levelNames.map((level) => ({
        slug: slugOf(level),
        level: levels[level],
        items: itemsOf(level),
      })),
      // The community that changes from open to private at the end.
      { slug: slugOf("switch"), level: levels.open, items: itemsOf("open", "switch") },
    ];
    await Promise.all(
      communities.map(async ({ slug, level, items }) => {
        await createOnHub(slug, createdAs(level));
        await publishPhase(slug, items, "history");
        await joinFromPartner(slug, level);
      }),
    );
    // Relayed content is written once the partner's member is in.
    await Promise.all(
      communities.map(async ({ slug, items }) => {
        await eventually(
          () => viewerStateOnPartner(slug, cast.member),
          (state) => state === "active",
          `the partner's member admitted to ${slug}`,
          [hub, partner],
        );
        await publishPhase(slug, items, "relayed");
        await awaitReplication(slug, items);
      }),
    );
  }, 100_000);

  afterAll(async () => {
    await Promise.allSettled([hub?.stop(), partner?.stop(), bystander?.stop()]);
    await killLaunched();
  });

  /** Whether the server is meant to hold the community's content (the bystander has no member). */
  const holdsContent = (server: ServerName) => server !== "bystander";

  /**
   * Where a server holds no copy of the content, an item the rule allows may or may not be
   * there: only what the rule forbids must never be.
   */
  function leniently(observed: Outcome, expected: Outcome): Outcome {
    return Object.fromEntries(
      Object.entries(observed).map(([key, value]) => {
        const allowed = expected[key] === "listed" || expected[key] === "found";
        const present = ["listed", "not listed", "found", "not found"].includes(value);
        return [key, allowed && present ? expected[key] : value];
      }),
    ) as Outcome;
  }

  async function observeAbout(server: ServerName, slug: string, token?: string) {
    const peer = peerOf(server);
    const about = await peer.request("GET", `/api/v1/communities/${refOn(server, slug)}`, {
      token,
    });
    const directory = await peer.request("GET", `/api/v1/communities?q=${slug}&limit=100`, {
      token,
    });
    const listed = (directory.body?.items as { ref: string }[] | undefined)?.some(
      (community) => community.ref === refOn(server, slug),
    );
    return { about: label(about), directory: listed ? "listed" : "not listed" };
  }

  async function observeLists(server: ServerName, slug: string, items: Item[], token?: string) {
    const peer = peerOf(server);
    const observed: Outcome = {};
    for (const list of new Set(items.map((item) => listOf[item.kind]))) {
      const answer = await peer.request(
        "GET",
        `/api/v1/communities/${refOn(server, slug)}/${list}?limit=100`,
        { token },
      );
      const titles =
        answer.status === 200 ? (answer.body.items as { title: string }[]).map((i) => i.title) : [];
      for (const item of items.filter((each) => listOf[each.kind] === list)) {
        observed[item.label] =
          answer.status !== 200
            ? label(answer)
            : titles.includes(titleOf(item))
              ? "listed"
              : "not listed";
      }
    }
    return observed;
  }

  async function observePosts(
    server: "hub" | "partner",
    slug: string,
    items: Item[],
    token?: string,
  ) {
    const peer = peerOf(server);
    const observed: Outcome = {};
    for (const item of items) {
      const id = ids[server].get(slug)?.get(item.label);
      observed[item.label] = id
        ? label(await peer.request("GET", `/api/v1/posts/${id}`, { token }))
        : "never reached the partner's member";
    }
    return observed;
  }

  /** Search answers at most 200 characters of query: the words go in as few queries as fit. */
  function queriesFor(items: Item[]): string[] {
    const queries: string[] = [];
    for (const { word } of items) {
      const last = queries.at(-1);
      if (last && last.length + word.length + 4 <= 200)
        queries[queries.length - 1] = `${last} or ${word}`;
      else queries.push(word);
    }
    return queries;
  }

  async function observeSearch(server: ServerName, items: Item[], token?: string) {
    const titles: string[] = [];
    let refusal: string | null = null;
    for (const q of queriesFor(items)) {
      const answer = await peerOf(server).request(
        "GET",
        `/api/v1/search?q=${encodeURIComponent(q)}&limit=100`,
        { token },
      );
      if (answer.status !== 200) refusal = label(answer);
      else titles.push(...(answer.body.items as { title: string }[]).map((hit) => hit.title));
    }
    return Object.fromEntries(
      items.map((item) => [
        item.label,
        refusal ?? (titles.includes(titleOf(item)) ? "found" : "not found"),
      ]),
    );
  }

  function observe(check: Check, level: LevelName, viewer: Viewer, items: Item[]) {
    const slug = slugOf(level);
    const token = tokenOf(viewer);
    switch (check) {
      case "about":
        return observeAbout(viewer.server, slug, token);
      case "lists":
        return observeLists(viewer.server, slug, items, token);
      case "posts by id":
        if (viewer.server === "bystander") throw new Error("the bystander holds no posts");
        return observePosts(viewer.server, slug, items, token);
      case "search":
        return observeSearch(viewer.server, items, token);
    }
  }

  // One test per cell, named like "semi_private · partner pending member · lists → 403 members_only".
  for (const level of levelNames) {
    const items = itemsOf(level);
    for (const viewerName of viewerNames.filter((viewer) => exists(viewer, level))) {
      const viewer: Viewer = viewers[viewerName];
      for (const check of checks) {
        if (check === "posts by id" && viewer.server === "bystander") continue;
        const expected = expectedFor(check, items, levels[level], viewer);
        const name = `${level} · ${viewerName} · ${check} → ${summary(expected)}`;
        it(name, async () => {
          const observed = await observe(check, level, viewer, items);
          const held = holdsContent(viewer.server) || check === "about";
          expect(held ? observed : leniently(observed, expected)).toEqual(expected);
        });
      }
    }
  }

  it("hides what the partner copied while open from non-members once the community is private", async () => {
    const slug = slugOf("switch");
    const items = itemsOf("open", "switch");
    const onPartner = (
      ["partner anonymous", "partner non-member", "partner active member"] as const
    ).map((name) => [name, viewers[name]] as const);
    const seenBy = async (level: Level) => {
      const observed: Record<string, unknown> = {};
      const expected: Record<string, unknown> = {};
      for (const [name, viewer] of onPartner) {
        const token = tokenOf(viewer);
        observed[name] = {
          lists: await observeLists("partner", slug, items, token),
          "posts by id": await observePosts("partner", slug, items, token),
          search: await observeSearch("partner", items, token),
        };
        expected[name] = {
          lists: expectedLists(items, level, viewer.relation, viewer.person !== null),
          "posts by id": expectedPosts(items, level, viewer.relation),
          search: expectedSearch(items, level, viewer.relation),
        };
      }
      return { observed, expected };
    };
    const before = await seenBy(levels.open);
    expect(before.observed).toEqual(before.expected);

    await must(
      hub.request("PATCH", `/api/v1/communities/${slug}`, {
        token: admin.token,
        body: { privacy: "private" },
      }),
      200,
      "make the community private",
    );
    await eventually(
      async () =>
        (await partner.request("GET", `/api/v1/communities/${refOn("partner", slug)}`)).body
          ?.privacy,
      (privacy) => privacy === "private",
      "the partner's copy turned private",
      [hub, partner],
      5_000,
    );
    const after = await seenBy(levels.private);
    expect(after.observed).toEqual(after.expected);
  });
});
