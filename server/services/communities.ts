import { and, eq, ilike, isNull, or, type Placeholder, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "../../db/index.ts";
import { preparedFor } from "../../db/prepared.ts";
import type { Account } from "../../db/schema/accounts.ts";
import {
  type Community,
  type ConceptNote,
  communities,
  type PrivacyLevel,
} from "../../db/schema/communities.ts";
import { memberships } from "../../db/schema/memberships.ts";
import { isAppointedTranslatorOf } from "../../db/schema/translations.ts";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { afterCursor, cursorOrder, type Page, type PageRequest, toPage } from "../pagination.ts";
import { refOf } from "../urls.ts";
import { recordDecision, type SettingChange, settingChanges } from "./audit.ts";
import type { Facets } from "./community-facets.ts";
import { claimName, communityNamed } from "./names.ts";
import { type DirectoryFilters, DirectoryOrder, directoryConditions } from "./network-directory.ts";
import {
  canReadContent,
  canSeeCommunity,
  communitiesVisibleTo,
  isActiveMembership,
  isCommunityAdmin,
  type Relation,
  relationFrom,
} from "./privacy.ts";

export interface CommunityView {
  community: Community;
  /** The ref of the community this one is a working group of. */
  parentRef: string | null;
  memberCount: number;
  relation: Relation;
  /** Whether the viewer is one of its appointed translators (services/translations.ts). */
  appointedTranslator: boolean;
}

export interface NewCommunity extends Partial<Facets> {
  slug: string;
  name: string;
  summary?: string | undefined;
  privacy: PrivacyLevel;
  hidden?: boolean | undefined;
  parent?: string | undefined;
  conceptNote?: Partial<ConceptNote> | undefined;
  eligibility?: string | undefined;
  principles?: string | undefined;
}

export type CommunityChanges = Partial<
  Pick<
    Community,
    | "name"
    | "summary"
    | "privacy"
    | "hidden"
    | "archived"
    | "eligibility"
    | "principles"
    | keyof Facets
  >
> & { conceptNote?: Partial<ConceptNote> | undefined };

export interface CommunityRef {
  slug: string;
  /** The community's server as in its handle, or null for this instance. */
  domain: string | null;
}

/** Splits a ref (`slug`, or `slug@host` for another server, ports kept) into its parts. */
export function parseRef(deps: Deps, ref: string): CommunityRef {
  const at = ref.indexOf("@");
  if (at < 0) return { slug: ref, domain: null };
  const domain = ref.slice(at + 1).toLowerCase();
  const local = domain === deps.config.publicUrl.host.toLowerCase();
  return { slug: ref.slice(0, at), domain: local ? null : domain };
}

export async function relationOf(
  db: Executor,
  communityId: string,
  accountId: string | undefined,
): Promise<Relation> {
  if (!accountId) return null;
  const [row] = await db
    .select({ state: memberships.state, role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.communityId, communityId), eq(memberships.accountId, accountId)));
  return row ?? null;
}

/** A copy of a community elsewhere shows the count its home gives; a local one counts here. */
const memberCount = sql<number>`coalesce(${communities.memberCount}, (
  select count(*)::int from ${memberships}
  where ${memberships.communityId} = ${communities.id} and ${isActiveMembership}
))`;

/** How many active members a local community has, as its Group tells other servers. */
export function countMembers(db: Executor, communityId: string): Promise<number> {
  return db.$count(memberships, and(eq(memberships.communityId, communityId), isActiveMembership));
}

const parent = alias(communities, "parent");

function viewsQuery(db: Executor, viewerId: string | Placeholder | undefined) {
  return db
    .select({
      community: communities,
      parentSlug: parent.slug,
      parentDomain: parent.domain,
      memberCount,
      state: memberships.state,
      role: memberships.role,
      // Asked here because every read of a post asks it (services/translations.ts).
      appointedTranslator:
        viewerId === undefined
          ? sql<boolean>`false`
          : isAppointedTranslatorOf(communities.id, viewerId),
    })
    .from(communities)
    .leftJoin(parent, eq(parent.id, communities.parentId))
    .leftJoin(
      memberships,
      and(
        eq(memberships.communityId, communities.id),
        viewerId === undefined ? sql`false` : eq(memberships.accountId, viewerId),
      ),
    );
}

/** The hottest look-up of all: every read of a local community's content starts with it. */
const localCommunityView = preparedFor((db) =>
  viewsQuery(db, sql.placeholder("viewer"))
    .where(communityNamed(sql.placeholder("slug"), null))
    .prepare("local_community_view"),
);

type ViewRow = Awaited<ReturnType<ReturnType<typeof viewsQuery>["where"]>>[number];

function toView(row: ViewRow): CommunityView {
  return {
    community: row.community,
    parentRef: row.parentSlug ? refOf({ slug: row.parentSlug, domain: row.parentDomain }) : null,
    memberCount: row.memberCount,
    relation: relationFrom(row),
    appointedTranslator: row.appointedTranslator,
  };
}

/** A community as `viewer` may see it; hidden ones are not found by outsiders. */
export async function viewCommunity(
  deps: Deps,
  ref: string,
  viewer: Account | null,
): Promise<CommunityView> {
  const { slug, domain } = parseRef(deps, ref);
  const find = (where: SQL | undefined) => viewsQuery(deps.db, viewer?.id).where(where);
  let [row] =
    domain === null
      ? await localCommunityView(deps.db).execute({ slug, viewer: viewer?.id ?? null })
      : await find(communityNamed(slug, domain));
  // A community on another server is looked up there the first time someone asks for it.
  const resolved = !row && domain ? await deps.federation.resolveCommunity(slug, domain) : null;
  if (resolved) [row] = await find(eq(communities.id, resolved.id));
  if (!row) throw new DomainError("community_not_found", { ref });
  const view = toView(row);
  if (!canSeeCommunity(view.community, view.relation))
    throw new DomainError("community_not_found", { ref });
  return view;
}

/**
 * A community as its page shows it to anyone who may see it, with whether they may also read
 * its content: a visitor or non-member who may not is shown only its public face.
 */
export async function viewCommunityProfile(
  deps: Deps,
  ref: string,
  viewer: Account | null,
): Promise<CommunityView & { contentReadable: boolean }> {
  const view = await viewCommunity(deps, ref, viewer);
  return { ...view, contentReadable: canReadContent(view.community, view.relation) };
}

/** Like viewCommunity, but only for the community's owners and admins. */
export async function administerCommunity(
  deps: Deps,
  ref: string,
  viewer: Account,
): Promise<CommunityView> {
  const view = await viewCommunity(deps, ref, viewer);
  if (!isCommunityAdmin(view.relation)) throw new DomainError("admin_only");
  return view;
}

export async function createCommunity(
  deps: Deps,
  creator: Account,
  input: NewCommunity,
): Promise<CommunityView> {
  const parentView = input.parent
    ? await administerCommunity(deps, input.parent, creator)
    : undefined;
  if (parentView?.community.parentId) throw new DomainError("parent_not_allowed");
  if (parentView?.community.archived) throw new DomainError("community_archived");
  const community = await deps.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(communities)
      .values({
        slug: input.slug,
        name: input.name,
        summary: input.summary ?? "",
        privacy: input.privacy,
        hidden: input.hidden ?? false,
        parentId: parentView?.community.id ?? null,
        conceptNote: { overview: "", purpose: "", engagement: "", ...input.conceptNote },
        eligibility: input.eligibility ?? "",
        principles: input.principles ?? "",
        topics: input.topics ?? [],
        languages: input.languages ?? [],
        countries: input.countries ?? [],
        createdById: creator.id,
      })
      .onConflictDoNothing()
      .returning();
    if (!created) throw new DomainError("name_taken", { name: input.slug });
    await claimName(tx, created.slug, { communityId: created.id });
    await tx
      .insert(memberships)
      .values({ communityId: created.id, accountId: creator.id, role: "owner", state: "active" });
    await recordDecision(tx, {
      communityId: created.id,
      actorId: creator.id,
      action: "community_created",
    });
    return created;
  });
  return {
    community,
    parentRef: parentView ? refOf(parentView.community) : null,
    memberCount: 1,
    relation: { state: "active", role: "owner" },
    appointedTranslator: false,
  };
}

/** Settings short enough for the log to keep what they were and what they became. */
const loggedValues = new Set<string>(["name", "privacy", "hidden", "archived"]);

/** What `changes` would really change in `community`, its concept note's parts included. */
function communityChanges(community: Community, changes: CommunityChanges): SettingChange[] {
  const { conceptNote, ...fields } = changes;
  return [
    ...settingChanges(community, fields, loggedValues),
    ...settingChanges(community.conceptNote, conceptNote ?? {}, loggedValues),
  ];
}

export async function updateCommunity(
  deps: Deps,
  ref: string,
  viewer: Account,
  changes: CommunityChanges,
): Promise<CommunityView> {
  const view = await administerCommunity(deps, ref, viewer);
  const { conceptNote, ...fields } = changes;
  const touched = communityChanges(view.community, changes);
  if (touched.length === 0) return view;
  await deps.db.transaction(async (tx) => {
    await tx
      .update(communities)
      .set({
        ...fields,
        ...(conceptNote ? { conceptNote: { ...view.community.conceptNote, ...conceptNote } } : {}),
        updatedAt: new Date(),
      })
      .where(eq(communities.id, view.community.id));
    await recordDecision(tx, {
      communityId: view.community.id,
      actorId: viewer.id,
      action: "community_updated",
      details: { changes: touched },
    });
    await deps.federation.publish(tx, {
      type: "community_updated",
      communityId: view.community.id,
    });
  });
  return viewCommunity(deps, refOf(view.community), viewer);
}

export interface DirectoryQuery extends PageRequest, DirectoryFilters {
  q?: string | undefined;
  parent?: string | undefined;
}

/** Text to look for inside an ILIKE pattern, its own wildcards taken literally. */
export function escapeLike(text: string): string {
  return text.replaceAll("\\", "\\\\").replaceAll("%", "\\%").replaceAll("_", "\\_");
}

/**
 * Communities the viewer may see: hidden ones only to their members. Without a
 * search or a parent, only top-level communities are listed; working groups are
 * listed under their parent.
 */
/**
 * The communities the viewer is an active member of, working groups and other servers' ones
 * included; invitations and requests still waiting are not memberships yet.
 */
export async function listMemberCommunities(
  deps: Deps,
  viewer: Account,
  query: PageRequest,
): Promise<Page<CommunityView>> {
  const rows = await viewsQuery(deps.db, viewer.id)
    .where(
      and(isActiveMembership, afterCursor(communities.createdAt, communities.id, query.cursor)),
    )
    .orderBy(...cursorOrder(communities.createdAt, communities.id))
    .limit(query.limit + 1);
  const page = toPage(rows, query.limit, (row) => row.community);
  return { items: page.items.map(toView), next: page.next };
}

export async function listDirectory(
  deps: Deps,
  viewer: Account | null,
  query: DirectoryQuery,
): Promise<Page<CommunityView>> {
  const order = new DirectoryOrder(deps.config.inactivityDays);
  const conditions: (SQL | undefined)[] = [
    communitiesVisibleTo(viewer),
    order.after(query.cursor),
    ...directoryConditions(query, deps.config.inactivityDays),
  ];
  if (query.parent) {
    const parentView = await viewCommunity(deps, query.parent, viewer);
    conditions.push(eq(communities.parentId, parentView.community.id));
  } else if (!query.q) {
    conditions.push(isNull(communities.parentId));
  }
  if (query.q) {
    const pattern = `%${escapeLike(query.q)}%`;
    conditions.push(
      or(
        ilike(communities.name, pattern),
        ilike(communities.summary, pattern),
        ilike(communities.slug, pattern),
        ilike(sql`array_to_string(${communities.topics}, ' ')`, pattern),
      ),
    );
  }
  const rows = await viewsQuery(deps.db, viewer?.id)
    .where(and(...conditions))
    .orderBy(...order.orderBy())
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  const next = rows.length > query.limit && last ? order.cursorAfter(last.community) : null;
  return { items: items.map(toView), next };
}
