import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memberships } from "../../db/schema/memberships.ts";
import {
  type Answer,
  type Person,
  startTestInstance,
  type TestInstance,
  testOrigin,
} from "../support/instance.ts";

/*
 * The whole privacy × viewer × action matrix, as data. Each cell is the outcome the
 * viewer should notice: an HTTP status (with the error code for refusals), the
 * resulting membership state for `join`, or whether the directory lists the community.
 * Expectations follow DESIGN.md and API.md: hidden communities do not exist for
 * outsiders (404), archived ones stay readable but take no new members, and an
 * anonymous caller is told to sign in (401) wherever signing in could help.
 */

const levels = {
  open: { privacy: "open", hidden: false, archived: false },
  public: { privacy: "public", hidden: false, archived: false },
  semi_private: { privacy: "semi_private", hidden: false, archived: false },
  private: { privacy: "private", hidden: false, archived: false },
  "private+hidden": { privacy: "private", hidden: true, archived: false },
  "open+hidden": { privacy: "open", hidden: true, archived: false },
  "open+archived": { privacy: "open", hidden: false, archived: true },
  "semi_private+archived": { privacy: "semi_private", hidden: false, archived: true },
} as const;
type LevelName = keyof typeof levels;

const viewers = [
  "anonymous",
  "non-member",
  "pending",
  "member",
  "moderator",
  "admin",
  "owner",
] as const;
type Viewer = (typeof viewers)[number];

const actions = [
  "view",
  "list",
  "members",
  "join",
  "approve",
  "invite",
  "leave",
  "archive",
] as const;
type Action = (typeof actions)[number];

type Row = Record<Action, string>;
/** A viewer who cannot exist at this level (nobody waits on an open or private community). */
const NA = "n/a";

const SIGN_IN = "401 not_signed_in";
const FORBIDDEN = "403 forbidden";
const ADMIN_ONLY = "403 admin_only";
const INVITE_ONLY = "403 invitation_required";
const UNSEEN = "404 community_not_found";
const NOT_MEMBER = "404 member_not_found";
const ARCHIVED = "422 community_archived";
const LAST_OWNER = "422 last_owner";

// biome-ignore format: the matrix reads best as an aligned table
const expected: Record<LevelName, Record<Viewer, Row | typeof NA>> = {
  open: {
    anonymous:    { view: "200",  list: "listed",     members: "200",     join: SIGN_IN,     approve: SIGN_IN,    invite: SIGN_IN,    leave: SIGN_IN,    archive: SIGN_IN },
    "non-member": { view: "200",  list: "listed",     members: "200",     join: "active",    approve: ADMIN_ONLY, invite: ADMIN_ONLY, leave: NOT_MEMBER, archive: ADMIN_ONLY },
    pending:      NA,
    member:       { view: "200",  list: "listed",     members: "200",     join: "active",    approve: ADMIN_ONLY, invite: ADMIN_ONLY, leave: "204",      archive: ADMIN_ONLY },
    moderator:    { view: "200",  list: "listed",     members: "200",     join: "active",    approve: ADMIN_ONLY, invite: ADMIN_ONLY, leave: "204",      archive: ADMIN_ONLY },
    admin:        { view: "200",  list: "listed",     members: "200",     join: "active",    approve: "200",      invite: "201",      leave: "204",      archive: "200" },
    owner:        { view: "200",  list: "listed",     members: "200",     join: "active",    approve: "200",      invite: "201",      leave: LAST_OWNER, archive: "200" },
  },
  public: {
    anonymous:    { view: "200",  list: "listed",     members: SIGN_IN,   join: SIGN_IN,     approve: SIGN_IN,    invite: SIGN_IN,    leave: SIGN_IN,    archive: SIGN_IN },
    "non-member": { view: "200",  list: "listed",     members: FORBIDDEN, join: "active",    approve: ADMIN_ONLY, invite: ADMIN_ONLY, leave: NOT_MEMBER, archive: ADMIN_ONLY },
    pending:      NA,
    member:       { view: "200",  list: "listed",     members: "200",     join: "active",    approve: ADMIN_ONLY, invite: ADMIN_ONLY, leave: "204",      archive: ADMIN_ONLY },
    moderator:    { view: "200",  list: "listed",     members: "200",     join: "active",    approve: ADMIN_ONLY, invite: ADMIN_ONLY, leave: "204",      archive: ADMIN_ONLY },
    admin:        { view: "200",  list: "listed",     members: "200",     join: "active",    approve: "200",      invite: "201",      leave: "204",      archive: "200" },
    owner:        { view: "200",  list: "listed",     members: "200",     join: "active",    approve: "200",      invite: "201",      leave: LAST_OWNER, archive: "200" },
  },
  semi_private: {
    anonymous:    { view: "200",  list: "listed",     members: SIGN_IN,   join: SIGN_IN,     approve: SIGN_IN,    invite: SIGN_IN,    leave: SIGN_IN,    archive: SIGN_IN },
    "non-member": { view: "200",  list: "listed",     members: FORBIDDEN, join: "pending",   approve: ADMIN_ONLY, invite: ADMIN_ONLY, leave: NOT_MEMBER, archive: ADMIN_ONLY },
    pending:      { view: "200",  list: "listed",     members: FORBIDDEN, join: "pending",   approve: ADMIN_ONLY, invite: ADMIN_ONLY, leave: "204",      archive: ADMIN_ONLY },
    member:       { view: "200",  list: "listed",     members: "200",     join: "active",    approve: ADMIN_ONLY, invite: ADMIN_ONLY, leave: "204",      archive: ADMIN_ONLY },
    moderator:    { view: "200",  list: "listed",     members: "200",     join: "active",    approve: ADMIN_ONLY, invite: ADMIN_ONLY, leave: "204",      archive: ADMIN_ONLY },
    admin:        { view: "200",  list: "listed",     members: "200",     join: "active",    approve: "200",      invite: "201",      leave: "204",      archive: "200" },
    owner:        { view: "200",  list: "listed",     members: "200",     join: "active",    approve: "200",      invite: "201",      leave: LAST_OWNER, archive: "200" },
  },
  private: {
    anonymous:    { view: "200",  list: "listed",     members: SIGN_IN,   join: SIGN_IN,     approve: SIGN_IN,    invite: SIGN_IN,    leave: SIGN_IN,    archive: SIGN_IN },
    "non-member": { view: "200",  list: "listed",     members: FORBIDDEN, join: INVITE_ONLY, approve: ADMIN_ONLY, invite: ADMIN_ONLY, leave: NOT_MEMBER, archive: ADMIN_ONLY },
    pending:      NA,
    member:       { view: "200",  list: "listed",     members: "200",     join: "active",    approve: ADMIN_ONLY, invite: ADMIN_ONLY, leave: "204",      archive: ADMIN_ONLY },
    moderator:    { view: "200",  list: "listed",     members: "200",     join: "active",    approve: ADMIN_ONLY, invite: ADMIN_ONLY, leave: "204",      archive: ADMIN_ONLY },
    admin:        { view: "200",  list: "listed",     members: "200",     join: "active",    approve: "200",      invite: "201",      leave: "204",      archive: "200" },
    owner:        { view: "200",  list: "listed",     members: "200",     join: "active",    approve: "200",      invite: "201",      leave: LAST_OWNER, archive: "200" },
  },
  "private+hidden": {
    anonymous:    { view: UNSEEN, list: "not listed", members: UNSEEN,    join: SIGN_IN,     approve: SIGN_IN,    invite: SIGN_IN,    leave: SIGN_IN,    archive: SIGN_IN },
    "non-member": { view: UNSEEN, list: "not listed", members: UNSEEN,    join: UNSEEN,      approve: UNSEEN,     invite: UNSEEN,     leave: UNSEEN,     archive: UNSEEN },
    pending:      NA,
    member:       { view: "200",  list: "listed",     members: "200",     join: "active",    approve: ADMIN_ONLY, invite: ADMIN_ONLY, leave: "204",      archive: ADMIN_ONLY },
    moderator:    { view: "200",  list: "listed",     members: "200",     join: "active",    approve: ADMIN_ONLY, invite: ADMIN_ONLY, leave: "204",      archive: ADMIN_ONLY },
    admin:        { view: "200",  list: "listed",     members: "200",     join: "active",    approve: "200",      invite: "201",      leave: "204",      archive: "200" },
    owner:        { view: "200",  list: "listed",     members: "200",     join: "active",    approve: "200",      invite: "201",      leave: LAST_OWNER, archive: "200" },
  },
  "open+hidden": {
    anonymous:    { view: UNSEEN, list: "not listed", members: UNSEEN,    join: SIGN_IN,     approve: SIGN_IN,    invite: SIGN_IN,    leave: SIGN_IN,    archive: SIGN_IN },
    "non-member": { view: UNSEEN, list: "not listed", members: UNSEEN,    join: UNSEEN,      approve: UNSEEN,     invite: UNSEEN,     leave: UNSEEN,     archive: UNSEEN },
    pending:      NA,
    member:       { view: "200",  list: "listed",     members: "200",     join: "active",    approve: ADMIN_ONLY, invite: ADMIN_ONLY, leave: "204",      archive: ADMIN_ONLY },
    moderator:    { view: "200",  list: "listed",     members: "200",     join: "active",    approve: ADMIN_ONLY, invite: ADMIN_ONLY, leave: "204",      archive: ADMIN_ONLY },
    admin:        { view: "200",  list: "listed",     members: "200",     join: "active",    approve: "200",      invite: "201",      leave: "204",      archive: "200" },
    owner:        { view: "200",  list: "listed",     members: "200",     join: "active",    approve: "200",      invite: "201",      leave: LAST_OWNER, archive: "200" },
  },
  // Archived: still readable per level and listed, but no new members (joins, approvals,
  // invitations). Members joining again stay members; leaving is always allowed.
  "open+archived": {
    anonymous:    { view: "200",  list: "listed",     members: "200",     join: SIGN_IN,     approve: SIGN_IN,    invite: SIGN_IN,    leave: SIGN_IN,    archive: SIGN_IN },
    "non-member": { view: "200",  list: "listed",     members: "200",     join: ARCHIVED,    approve: ADMIN_ONLY, invite: ADMIN_ONLY, leave: NOT_MEMBER, archive: ADMIN_ONLY },
    pending:      NA,
    member:       { view: "200",  list: "listed",     members: "200",     join: "active",    approve: ADMIN_ONLY, invite: ADMIN_ONLY, leave: "204",      archive: ADMIN_ONLY },
    moderator:    { view: "200",  list: "listed",     members: "200",     join: "active",    approve: ADMIN_ONLY, invite: ADMIN_ONLY, leave: "204",      archive: ADMIN_ONLY },
    admin:        { view: "200",  list: "listed",     members: "200",     join: "active",    approve: ARCHIVED,   invite: ARCHIVED,   leave: "204",      archive: "200" },
    owner:        { view: "200",  list: "listed",     members: "200",     join: "active",    approve: ARCHIVED,   invite: ARCHIVED,   leave: LAST_OWNER, archive: "200" },
  },
  "semi_private+archived": {
    anonymous:    { view: "200",  list: "listed",     members: SIGN_IN,   join: SIGN_IN,     approve: SIGN_IN,    invite: SIGN_IN,    leave: SIGN_IN,    archive: SIGN_IN },
    "non-member": { view: "200",  list: "listed",     members: FORBIDDEN, join: ARCHIVED,    approve: ADMIN_ONLY, invite: ADMIN_ONLY, leave: NOT_MEMBER, archive: ADMIN_ONLY },
    pending:      { view: "200",  list: "listed",     members: FORBIDDEN, join: ARCHIVED,    approve: ADMIN_ONLY, invite: ADMIN_ONLY, leave: "204",      archive: ADMIN_ONLY },
    member:       { view: "200",  list: "listed",     members: "200",     join: "active",    approve: ADMIN_ONLY, invite: ADMIN_ONLY, leave: "204",      archive: ADMIN_ONLY },
    moderator:    { view: "200",  list: "listed",     members: "200",     join: "active",    approve: ADMIN_ONLY, invite: ADMIN_ONLY, leave: "204",      archive: ADMIN_ONLY },
    admin:        { view: "200",  list: "listed",     members: "200",     join: "active",    approve: ARCHIVED,   invite: ARCHIVED,   leave: "204",      archive: "200" },
    owner:        { view: "200",  list: "listed",     members: "200",     join: "active",    approve: ARCHIVED,   invite: ARCHIVED,   leave: LAST_OWNER, archive: "200" },
  },
};

/** Actions that change something get a community of their own, so cells never interact. */
const mutating = new Set<Action>(["join", "approve", "leave", "archive"]);

interface Cell {
  level: LevelName;
  viewer: Viewer;
  action: Action;
  outcome: string;
}

const cells: Cell[] = Object.entries(expected).flatMap(([level, rows]) =>
  Object.entries(rows).flatMap(([viewer, row]) =>
    row === NA
      ? []
      : actions.map((action) => ({
          level: level as LevelName,
          viewer: viewer as Viewer,
          action,
          outcome: row[action],
        })),
  ),
);

type Role = "member" | "moderator" | "admin" | "owner";
const roles: readonly Viewer[] = ["member", "moderator", "admin", "owner"];
const isRole = (viewer: Viewer): viewer is Role => roles.includes(viewer);

interface Fixture {
  id: string;
  ref: string;
  /** The membership id of somebody else's pending request, for `approve`. */
  applicant?: string;
}

describe("privacy matrix", () => {
  let praxis: TestInstance;
  let cast: Record<
    "owner" | "admin" | "moderator" | "member" | "pending" | "outsider" | "applicant",
    Person
  >;
  const shared = new Map<LevelName, Fixture>();
  let serial = 0;

  beforeAll(async () => {
    praxis = await startTestInstance();
    // The instance administrator plays no part in the matrix.
    await praxis.signUp("mx_root");
    const [owner, admin, moderator, member, pending, outsider, applicant] = await Promise.all(
      ["owner", "admin", "moderator", "member", "pending", "outsider", "applicant"].map((name) =>
        praxis.signUp(`mx_${name}`),
      ),
    );
    if (!owner || !admin || !moderator || !member || !pending || !outsider || !applicant)
      throw new Error("sign-up failed");
    cast = { owner, admin, moderator, member, pending, outsider, applicant };
    // Read-only actions (and invitations, which change nobody's membership) share one
    // community per level, holding every viewer the table has a row for.
    for (const level of Object.keys(levels) as LevelName[]) {
      const present = viewers.filter((viewer) => expected[level][viewer] !== NA);
      shared.set(level, await setUp(level, present, false));
    }
  });
  afterAll(() => praxis.close());

  function personOf(viewer: Viewer): Person | undefined {
    switch (viewer) {
      case "anonymous":
        return undefined;
      case "non-member":
        return cast.outsider;
      default:
        return cast[viewer];
    }
  }

  /** What the viewer's own relation to the community should read, as the API shows it. */
  function relationOf(viewer: Viewer) {
    if (viewer === "pending") return { state: "pending", role: "member" };
    return isRole(viewer) ? { state: "active", role: viewer } : null;
  }

  async function must(answer: Promise<Answer>, status: number, what: string): Promise<Answer> {
    const settled = await answer;
    if (settled.status !== status)
      throw new Error(`${what}: ${settled.status} ${JSON.stringify(settled.body)}`);
    return settled;
  }

  /**
   * A community at `level` owned by the owner, with the given viewers in their roles
   * (and, with `withApplicant`, somebody else's pending request); archived last.
   */
  async function setUp(
    level: LevelName,
    present: readonly Viewer[],
    withApplicant: boolean,
  ): Promise<Fixture> {
    const { privacy, hidden, archived } = levels[level];
    serial += 1;
    const slug = `mx-${level.replaceAll(/[_+]/g, "-")}-${serial}`;
    const owner = cast.owner.token;
    const created = await must(
      praxis.request("POST", "/api/v1/communities", {
        token: owner,
        body: { slug, name: `Matrix ${level} ${serial}`, privacy, hidden },
      }),
      201,
      `create ${slug}`,
    );
    const fixture: Fixture = { id: created.body.id, ref: created.body.ref };
    const path = `/api/v1/communities/${fixture.ref}`;
    // Invitation by handle lets people in at every level, hidden and private ones included.
    const joiners = present.filter((viewer) => isRole(viewer) && viewer !== "owner");
    await Promise.all(
      joiners.map(async (viewer) => {
        const person = cast[viewer as Role];
        await must(
          praxis.request("POST", `${path}/invitations`, {
            token: owner,
            body: { handle: `@${person.username}@praxis.test` },
          }),
          201,
          `invite ${person.username}`,
        );
        await must(
          praxis.request("POST", `${path}/join`, { token: person.token }),
          200,
          `${person.username} joins`,
        );
      }),
    );
    const promoted = joiners.filter((viewer) => viewer !== "member");
    if (promoted.length > 0) {
      const list = await must(
        praxis.request("GET", `${path}/members?limit=100`, { token: owner }),
        200,
        "list members",
      );
      for (const role of promoted) {
        const person = cast[role as Role];
        const item = list.body.items.find(
          (member: { account: { id: string } }) => member.account.id === person.id,
        );
        await must(
          praxis.request("PATCH", `${path}/members/${item?.id}`, { token: owner, body: { role } }),
          200,
          `make ${person.username} ${role}`,
        );
      }
    }
    if (present.includes("pending")) {
      const asked = await must(
        praxis.request("POST", `${path}/join`, { token: cast.pending.token }),
        200,
        "pending person asks to join",
      );
      if (asked.body.state !== "pending") throw new Error(`pending viewer is ${asked.body.state}`);
    }
    if (withApplicant) {
      if (privacy === "semi_private") {
        await must(
          praxis.request("POST", `${path}/join`, { token: cast.applicant.token }),
          200,
          "applicant asks to join",
        );
        fixture.applicant = await membershipIdOf(fixture, cast.applicant, "pending");
      } else {
        // No join request can arise at this level through the API, so the pending
        // membership is seeded directly in the database (memberships table).
        const [row] = await praxis.deps.db
          .insert(memberships)
          .values({
            communityId: fixture.id,
            accountId: cast.applicant.id,
            state: "pending",
            message: "Please let me in",
          })
          .returning({ id: memberships.id });
        fixture.applicant = row?.id;
      }
    }
    if (archived) {
      await must(
        praxis.request("PATCH", path, { token: owner, body: { archived: true } }),
        200,
        `archive ${slug}`,
      );
    }
    return fixture;
  }

  async function membershipIdOf(
    fixture: Fixture,
    person: Person,
    state?: string,
  ): Promise<string | undefined> {
    const [row] = await praxis.deps.db
      .select({ id: memberships.id, state: memberships.state })
      .from(memberships)
      .where(and(eq(memberships.communityId, fixture.id), eq(memberships.accountId, person.id)));
    return row && (!state || row.state === state) ? row.id : undefined;
  }

  async function stateOf(fixture: Fixture, person: Person): Promise<string | undefined> {
    const [row] = await praxis.deps.db
      .select({ state: memberships.state })
      .from(memberships)
      .where(and(eq(memberships.communityId, fixture.id), eq(memberships.accountId, person.id)));
    return row?.state;
  }

  /** An answer as the table writes it: the status, with the error code for refusals. */
  function label(answer: Answer): string {
    if (answer.status < 400) return String(answer.status);
    return `${answer.status} ${answer.body?.error?.code}`;
  }

  // One test per cell, named like "semi_private · non-member · join → pending".
  for (const { level, viewer, action, outcome } of cells)
    it(`${level} · ${viewer} · ${action} → ${outcome}`, () =>
      checkCell(level, viewer, action, outcome));

  async function checkCell(
    level: LevelName,
    viewer: Viewer,
    action: Action,
    outcome: string,
  ): Promise<void> {
    const fixture = mutating.has(action)
      ? await setUp(level, [viewer], action === "approve")
      : shared.get(level);
    if (!fixture) throw new Error(`no community for ${level}`);
    const person = personOf(viewer);
    const token = person?.token;
    const path = `/api/v1/communities/${fixture.ref}`;

    switch (action) {
      case "view": {
        const answer = await praxis.request("GET", path, { token });
        expect(label(answer)).toBe(outcome);
        if (answer.status === 200) {
          expect(answer.body.ref).toBe(fixture.ref);
          expect(answer.body.viewer).toEqual(relationOf(viewer));
        }
        break;
      }
      case "list": {
        const answer = await praxis.request(
          "GET",
          `/api/v1/communities?q=${encodeURIComponent(fixture.ref)}&limit=100`,
          { token },
        );
        expect(answer.status).toBe(200);
        const refs = answer.body.items.map((item: { ref: string }) => item.ref);
        expect(refs.includes(fixture.ref) ? "listed" : "not listed").toBe(outcome);
        break;
      }
      case "members": {
        const answer = await praxis.request("GET", `${path}/members`, { token });
        expect(label(answer)).toBe(outcome);
        if (answer.status === 200) {
          const names = answer.body.items.map(
            (item: { account: { username: string } }) => item.account.username,
          );
          expect(names).toContain(cast.owner.username);
        }
        break;
      }
      case "join": {
        const answer = await praxis.request("POST", `${path}/join`, { token });
        expect(answer.status === 200 ? answer.body.state : label(answer)).toBe(outcome);
        if (person && answer.status === 200) {
          // Joining again keeps one's role; a newcomer starts as a plain member.
          const after = await praxis.request("GET", path, { token });
          expect(after.body.viewer).toEqual({
            state: outcome,
            role: isRole(viewer) ? viewer : "member",
          });
        }
        break;
      }
      case "approve": {
        const answer = await praxis.request(
          "POST",
          `${path}/members/${fixture.applicant}/approve`,
          { token },
        );
        expect(label(answer)).toBe(outcome);
        expect(await stateOf(fixture, cast.applicant)).toBe(
          outcome === "200" ? "active" : "pending",
        );
        break;
      }
      case "invite": {
        serial += 1;
        const email = `guest${serial}@example.org`;
        const answer = await praxis.request("POST", `${path}/invitations`, {
          token,
          body: { email },
        });
        expect(label(answer)).toBe(outcome);
        if (answer.status === 201) {
          expect(answer.body).toMatchObject({ email, community: fixture.ref });
        }
        break;
      }
      case "leave": {
        const before = person ? await stateOf(fixture, person) : undefined;
        const answer = await praxis.request("POST", `${path}/leave`, { token });
        expect(label(answer)).toBe(outcome);
        if (person) {
          expect(await stateOf(fixture, person)).toBe(outcome === "204" ? undefined : before);
        }
        break;
      }
      case "archive": {
        const answer = await praxis.request("PATCH", path, { token, body: { archived: true } });
        expect(label(answer)).toBe(outcome);
        const after = await praxis.request("GET", path, { token: cast.owner.token });
        expect(after.body.archived).toBe(outcome === "200" || levels[level].archived);
        break;
      }
    }
  }
});

/*
 * Content: every kind × the same levels and viewers. The base table says what a viewer
 * gets for ordinary content (a discussion, page, event, shared file or comment); the few
 * rules that differ by kind are applied on top of it, each in one place (`expectedFor`).
 *   read   — the item itself (for a comment: its thread's comment list)
 *   list   — whether the community's list of that kind shows it
 *   search — whether full-text search finds it
 *   create — publishing a new item of that kind
 *   download — a shared file's bytes
 */

const contentLevels = {
  open: { privacy: "open", hidden: false },
  public: { privacy: "public", hidden: false },
  semi_private: { privacy: "semi_private", hidden: false },
  private: { privacy: "private", hidden: false },
  "private+hidden": { privacy: "private", hidden: true },
  "open+hidden": { privacy: "open", hidden: true },
} as const;
type ContentLevel = keyof typeof contentLevels;

const contentViewers = [
  "anonymous",
  "non-member",
  "pending",
  "member",
  "moderator",
  "admin",
] as const;
type ContentViewer = (typeof contentViewers)[number];

const contentKinds = [
  "discussion",
  "announcement",
  "page",
  "event",
  "file",
  "private file",
  "comment",
] as const;
type ContentKind = (typeof contentKinds)[number];

const contentActions = ["read", "list", "search", "create", "download"] as const;
type ContentAction = (typeof contentActions)[number];
type ContentRow = Record<ContentAction, string>;

const HIDDEN_POST = "404 post_not_found";
const MEMBERS_ONLY = "403 members_only";
const member: ContentRow = {
  read: "200",
  list: "listed",
  search: "found",
  create: "201",
  download: "200",
};
const openRow = (create: string): ContentRow => ({
  read: "200",
  list: "listed",
  search: "found",
  create,
  download: "200",
});
const closedRow = (list: string, create: string): ContentRow => ({
  read: HIDDEN_POST,
  list,
  search: "not found",
  create,
  download: HIDDEN_POST,
});

// biome-ignore format: the matrix reads best as an aligned table
const contentExpected: Record<ContentLevel, Record<ContentViewer, ContentRow>> = {
  open:             { anonymous: openRow(SIGN_IN),            "non-member": openRow(MEMBERS_ONLY),         pending: openRow(MEMBERS_ONLY),            member, moderator: member, admin: member },
  public:           { anonymous: closedRow(SIGN_IN, SIGN_IN), "non-member": closedRow(MEMBERS_ONLY, MEMBERS_ONLY), pending: closedRow(MEMBERS_ONLY, MEMBERS_ONLY), member, moderator: member, admin: member },
  semi_private:     { anonymous: closedRow(SIGN_IN, SIGN_IN), "non-member": closedRow(MEMBERS_ONLY, MEMBERS_ONLY), pending: closedRow(MEMBERS_ONLY, MEMBERS_ONLY), member, moderator: member, admin: member },
  private:          { anonymous: closedRow(SIGN_IN, SIGN_IN), "non-member": closedRow(MEMBERS_ONLY, MEMBERS_ONLY), pending: closedRow(MEMBERS_ONLY, MEMBERS_ONLY), member, moderator: member, admin: member },
  // Hidden: the community itself does not exist for outsiders. People waiting see it (its About),
  // but a hidden community's content is for its members only, even when it is open.
  "private+hidden": { anonymous: closedRow(UNSEEN, SIGN_IN),  "non-member": closedRow(UNSEEN, UNSEEN),             pending: closedRow(MEMBERS_ONLY, MEMBERS_ONLY), member, moderator: member, admin: member },
  "open+hidden":    { anonymous: closedRow(UNSEEN, SIGN_IN),  "non-member": closedRow(UNSEEN, UNSEEN),             pending: closedRow(MEMBERS_ONLY, MEMBERS_ONLY), member, moderator: member, admin: member },
};

const isContentMember = (viewer: ContentViewer) =>
  viewer === "member" || viewer === "moderator" || viewer === "admin";

/** The base row, with the rules particular to a kind. */
function expectedFor(level: ContentLevel, viewer: ContentViewer, kind: ContentKind): ContentRow {
  const row = { ...contentExpected[level][viewer] };
  // Only moderators and admins announce.
  if (kind === "announcement" && viewer === "member") row.create = "403 moderators_only";
  // A private file exists for active members only, even in an open community.
  if (kind === "private file" && !isContentMember(viewer)) {
    Object.assign(row, {
      read: HIDDEN_POST,
      list: row.list === "listed" ? "not listed" : row.list,
      search: "not found",
      download: HIDDEN_POST,
    });
  }
  if (kind !== "file" && kind !== "private file") row.download = NA;
  if (kind === "comment") {
    // Comments are listed by their thread (read); replying first needs the thread in sight.
    row.list = NA;
    if (row.read === HIDDEN_POST && viewer !== "anonymous") row.create = HIDDEN_POST;
  }
  return row;
}

const contentCells = (Object.keys(contentLevels) as ContentLevel[]).flatMap((level) =>
  contentViewers.flatMap((viewer) =>
    contentKinds.flatMap((kind) => {
      const row = expectedFor(level, viewer, kind);
      return contentActions
        .filter((action) => row[action] !== NA)
        .map((action) => ({ level, viewer, kind, action, outcome: row[action] }));
    }),
  ),
);

const searchKind: Record<ContentKind, string> = {
  discussion: "discussion",
  announcement: "announcement",
  page: "page",
  event: "event",
  file: "file",
  "private file": "file",
  comment: "comment",
};

interface ContentFixture {
  ref: string;
  /** The unique word in each item's title, for search. */
  word: Record<ContentKind, string>;
  id: Record<ContentKind, string>;
  thread: string;
}

describe("privacy matrix for content", () => {
  let praxis: TestInstance;
  let people: Record<"owner" | "member" | "moderator" | "admin" | "pending" | "outsider", Person>;
  const fixtures = new Map<ContentLevel, ContentFixture>();
  const pdf = new TextEncoder().encode("%PDF-1.4\n%%EOF\n");

  async function must(answer: Promise<Answer>, status: number, what: string): Promise<Answer> {
    const settled = await answer;
    if (settled.status !== status)
      throw new Error(`${what}: ${settled.status} ${JSON.stringify(settled.body)}`);
    return settled;
  }

  const label = (answer: Answer) =>
    answer.status < 400 ? String(answer.status) : `${answer.status} ${answer.body?.error?.code}`;

  async function upload(
    ref: string,
    token: string | undefined,
    title: string,
    isPrivate: boolean,
  ): Promise<Answer> {
    const form = new FormData();
    form.set("file", new Blob([pdf]), "document.pdf");
    form.set("title", title);
    if (isPrivate) form.set("private", "true");
    const response = await praxis.app.request(`${testOrigin}/api/v1/communities/${ref}/files`, {
      method: "POST",
      body: form,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: response.status, body: await response.json(), headers: response.headers };
  }

  /** Publishes one item of a kind as `token`; the comment goes on the level's thread. */
  function publish(
    fixture: Pick<ContentFixture, "ref" | "thread">,
    kind: ContentKind,
    token: string | undefined,
    title: string,
  ): Promise<Answer> {
    const path = `/api/v1/communities/${fixture.ref}`;
    const content = `About ${title}.`;
    switch (kind) {
      case "discussion":
      case "announcement":
      case "page":
        return praxis.request("POST", `${path}/${kind}s`, { token, body: { title, content } });
      case "event":
        return praxis.request("POST", `${path}/events`, {
          token,
          body: {
            title,
            content,
            startsAt: "2030-05-01T10:00",
            endsAt: "2030-05-01T12:00",
            timezone: "Europe/Lisbon",
          },
        });
      case "file":
      case "private file":
        return upload(fixture.ref, token, title, kind === "private file");
      case "comment":
        return praxis.request("POST", `/api/v1/posts/${fixture.thread}/comments`, {
          token,
          body: { content: title },
        });
    }
  }

  async function setUpContent(level: ContentLevel): Promise<ContentFixture> {
    const { privacy, hidden } = contentLevels[level];
    const slug = `cx-${level.replaceAll(/[_+]/g, "-")}`;
    const owner = people.owner.token;
    const created = await must(
      praxis.request("POST", "/api/v1/communities", {
        token: owner,
        body: { slug, name: `Content ${level}`, privacy, hidden },
      }),
      201,
      `create ${slug}`,
    );
    const ref: string = created.body.ref;
    const path = `/api/v1/communities/${ref}`;
    for (const role of ["member", "moderator", "admin"] as const) {
      const person = people[role];
      await must(
        praxis.request("POST", `${path}/invitations`, {
          token: owner,
          body: { handle: `@${person.username}@praxis.test` },
        }),
        201,
        `invite ${role}`,
      );
      await must(praxis.request("POST", `${path}/join`, { token: person.token }), 200, role);
    }
    const list = await must(
      praxis.request("GET", `${path}/members?limit=100`, { token: owner }),
      200,
      "members",
    );
    for (const role of ["moderator", "admin"] as const) {
      const item = list.body.items.find(
        (m: { account: { id: string } }) => m.account.id === people[role].id,
      );
      await must(
        praxis.request("PATCH", `${path}/members/${item?.id}`, { token: owner, body: { role } }),
        200,
        `make ${role}`,
      );
    }
    // A request waiting for a decision, at every level (as if the level changed since).
    await praxis.deps.db.insert(memberships).values({
      communityId: created.body.id,
      accountId: people.pending.id,
      state: "pending",
    });
    const letters = level.replaceAll(/[^a-z]/g, "");
    const word = Object.fromEntries(
      contentKinds.map((kind) => [kind, `cx${letters}${kind.replaceAll(" ", "")}`]),
    ) as Record<ContentKind, string>;
    const thread = await must(
      publish({ ref, thread: "" }, "discussion", owner, `Thread ${word.comment}thread`),
      201,
      "thread",
    );
    const fixture = { ref, thread: thread.body.id as string, word };
    const id = {} as Record<ContentKind, string>;
    for (const kind of contentKinds) {
      const published = await must(
        publish(fixture, kind, owner, `Item ${word[kind]}`),
        201,
        `${kind} in ${level}`,
      );
      id[kind] = published.body.id;
    }
    return { ...fixture, id };
  }

  beforeAll(async () => {
    praxis = await startTestInstance();
    await praxis.signUp("cx_root");
    const names = ["owner", "member", "moderator", "admin", "pending", "outsider"] as const;
    const signed = await Promise.all(names.map((name) => praxis.signUp(`cx_${name}`)));
    people = Object.fromEntries(names.map((name, i) => [name, signed[i]])) as typeof people;
    for (const level of Object.keys(contentLevels) as ContentLevel[]) {
      fixtures.set(level, await setUpContent(level));
    }
  });
  afterAll(() => praxis.close());

  function tokenOf(viewer: ContentViewer): string | undefined {
    if (viewer === "anonymous") return undefined;
    return people[viewer === "non-member" ? "outsider" : viewer].token;
  }

  function readPath(fixture: ContentFixture, kind: ContentKind): string {
    const id = fixture.id[kind];
    if (kind === "comment") return `/api/v1/posts/${fixture.thread}/comments`;
    if (kind === "event") return `/api/v1/events/${id}`;
    if (kind === "file" || kind === "private file") return `/api/v1/files/${id}`;
    return `/api/v1/posts/${id}`;
  }

  function listPath(fixture: ContentFixture, kind: ContentKind): string {
    const collection = kind === "private file" ? "files" : `${kind}s`;
    return `/api/v1/communities/${fixture.ref}/${collection}?limit=100`;
  }

  // One test per cell, named like "public · pending · private file · read → 404 post_not_found".
  for (const { level, viewer, kind, action, outcome } of contentCells)
    it(`${level} · ${viewer} · ${kind} · ${action} → ${outcome}`, async () => {
      const fixture = fixtures.get(level);
      if (!fixture) throw new Error(`no community for ${level}`);
      const token = tokenOf(viewer);
      const ids = (answer: Answer) => answer.body.items.map((item: { id: string }) => item.id);
      switch (action) {
        case "read": {
          const answer = await praxis.request("GET", readPath(fixture, kind), { token });
          expect(label(answer)).toBe(outcome);
          if (answer.status === 200 && kind === "comment") {
            expect(ids(answer)).toContain(fixture.id.comment);
          } else if (answer.status === 200) {
            expect(answer.body.id).toBe(fixture.id[kind]);
          }
          break;
        }
        case "list": {
          const answer = await praxis.request("GET", listPath(fixture, kind), { token });
          const seen =
            answer.status === 200
              ? ids(answer).includes(fixture.id[kind])
                ? "listed"
                : "not listed"
              : label(answer);
          expect(seen).toBe(outcome);
          break;
        }
        case "search": {
          const answer = await praxis.request(
            "GET",
            `/api/v1/search?q=${fixture.word[kind]}&kind=${searchKind[kind]}`,
            { token },
          );
          expect(answer.status).toBe(200);
          expect(ids(answer).includes(fixture.id[kind]) ? "found" : "not found").toBe(outcome);
          break;
        }
        case "create": {
          const answer = await publish(fixture, kind, token, `New ${kind} by ${viewer}`);
          expect(label(answer)).toBe(outcome);
          break;
        }
        case "download": {
          const answer = await praxis.request("GET", `/api/v1/files/${fixture.id[kind]}/download`, {
            token,
          });
          expect(label(answer)).toBe(outcome);
          if (answer.status === 200) expect(answer.body).toBe(new TextDecoder().decode(pdf));
          break;
        }
      }
    });

  // The other side of "hidden": the people a hidden community knows of find it, even before
  // they may read it.
  for (const level of ["open+hidden", "private+hidden"] as const)
    it(`${level} · pending · about → 200, anonymous and non-member → 404`, async () => {
      const path = `/api/v1/communities/${fixtures.get(level)?.ref}`;
      const about = await praxis.request("GET", path, { token: people.pending.token });
      expect(label(about)).toBe("200");
      expect(about.body.viewer).toEqual({ state: "pending", role: "member" });
      expect(label(await praxis.request("GET", path))).toBe(UNSEEN);
      expect(label(await praxis.request("GET", path, { token: people.outsider.token }))).toBe(
        UNSEEN,
      );
    });
});
