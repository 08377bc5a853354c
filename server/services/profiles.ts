import { and, asc, eq, ilike, isNull, or, type SQL, sql } from "drizzle-orm";
import { type Account, accounts } from "../../db/schema/accounts.ts";
import { communities } from "../../db/schema/communities.ts";
import { memberships } from "../../db/schema/memberships.ts";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { afterCursor, cursorOrder, type Page, type PageRequest, toPage } from "../pagination.ts";
import { refOf } from "../urls.ts";
import { escapeLike, parseRef } from "./communities.ts";
import { distinctTopics, normalLanguage, normalTopic } from "./community-facets.ts";
import { localAccountNamed, remoteAccountNamed } from "./names.ts";
import { communitiesReadableBy, isActiveMembership, profileDetailsVisibleTo } from "./privacy.ts";

/*
 * What people tell about themselves beyond their name, and finding them by it: a profile
 * page, a community's member directory and the instance-wide finder of resource people.
 * Who may see the profession, organisation and country is privacy.ts's to say.
 */

export const maxBioLength = 2_000;
export const maxExpertise = 20;
export const maxExpertiseLength = 60;
export const maxSpokenLanguages = 20;

export interface ProfileFacets {
  languages: string[];
  expertise: string[];
}

/**
 * Languages and expertise another server gave: what is not text, not valid or beyond the
 * limits is dropped, so that a partner never stores more than a person here could.
 */
export function profileFacetsFrom(given: {
  languages: unknown;
  expertise: unknown;
}): ProfileFacets {
  const texts = (value: unknown) =>
    Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
  const languages = texts(given.languages)
    .map(normalLanguage)
    .filter((tag): tag is string => tag !== null);
  const expertise = distinctTopics(texts(given.expertise)).filter(
    (topic) => topic && topic.length <= maxExpertiseLength,
  );
  return {
    languages: [...new Set(languages)].slice(0, maxSpokenLanguages),
    expertise: expertise.slice(0, maxExpertise),
  };
}

/** What people are looked for by; each is optional, and all given must match. */
export interface PeopleFilters {
  /** Words in the name, the handle or an expertise topic. */
  q?: string | undefined;
  expertise?: string | undefined;
  country?: string | undefined;
  language?: string | undefined;
  profession?: string | undefined;
}

const containing = (text: string) => `%${escapeLike(text.trim())}%`;

/**
 * The people `filters` match, as a condition on `accounts`. Profession and country match
 * only where `detailsVisible` (the privacy rule for this viewer) holds, so that a filter
 * cannot tell a hidden detail; name, handle, expertise and languages are public anyway.
 */
export function peopleMatching(filters: PeopleFilters, detailsVisible: SQL): SQL | undefined {
  const { q, expertise, country, language, profession } = filters;
  const anyExpertise = (condition: SQL) =>
    sql`exists (select 1 from unnest(${accounts.expertise}) as topic where ${condition})`;
  const languageTag = language ? (normalLanguage(language) ?? language.trim()) : null;
  return and(
    q
      ? or(
          ilike(accounts.displayName, containing(q)),
          ilike(accounts.username, containing(q)),
          anyExpertise(sql`topic ilike ${containing(q)}`),
        )
      : undefined,
    expertise ? anyExpertise(sql`topic = ${normalTopic(expertise)}`) : undefined,
    // `pt` finds who speaks pt-BR as well.
    languageTag
      ? sql`exists (select 1 from unnest(${accounts.languages}) as tag
          where lower(tag) = lower(${languageTag}) or tag ilike ${`${escapeLike(languageTag)}-%`})`
      : undefined,
    country
      ? and(detailsVisible, sql`lower(trim(${accounts.country})) = lower(${country.trim()})`)
      : undefined,
    profession
      ? and(detailsVisible, ilike(accounts.profession, containing(profession)))
      : undefined,
  );
}

/** Accounts shown as people: active, and not deleted (whose rows stay only to keep the name). */
const isShownPerson = and(eq(accounts.state, "active"), isNull(accounts.deletedAt));

export interface PersonView {
  account: Account;
  /** Whether the viewer may see the profession, organisation and country. */
  seesDetails: boolean;
}

export interface ProfileView extends PersonView {
  /** The communities the person is an active member of that the viewer may read. */
  communities: { ref: string; name: string }[];
}

/** The account `bob` (here) or `bob@host` (a copy of someone elsewhere) names. */
function accountNamedBy(deps: Deps, handle: string): SQL | undefined {
  const { slug: name, domain } = parseRef(deps, handle.replace(/^@/, ""));
  return domain === null ? localAccountNamed(name) : remoteAccountNamed(name, domain);
}

/**
 * A person's profile as `viewer` sees it. An unknown or inactive account is not found; a
 * deleted one is gone, as its actor answers other servers with a Tombstone.
 */
export async function viewProfile(
  deps: Deps,
  handle: string,
  viewer: Account | null,
): Promise<ProfileView> {
  const [row] = await deps.db
    .select({ account: accounts, seesDetails: sql<boolean>`${profileDetailsVisibleTo(viewer)}` })
    .from(accounts)
    .where(accountNamedBy(deps, handle))
    .limit(1);
  if (row?.account.deletedAt) throw new DomainError("account_gone");
  if (row?.account.state !== "active") throw new DomainError("account_not_found");
  const rows = await deps.db
    .select({ slug: communities.slug, domain: communities.domain, name: communities.name })
    .from(memberships)
    .innerJoin(communities, eq(communities.id, memberships.communityId))
    .where(
      and(
        eq(memberships.accountId, row.account.id),
        isActiveMembership,
        communitiesReadableBy(viewer),
      ),
    )
    .orderBy(asc(communities.name));
  return {
    ...row,
    communities: rows.map((community) => ({ ref: refOf(community), name: community.name })),
  };
}

export interface PeopleQuery extends PeopleFilters, PageRequest {
  /** Only those who offer to be a resource person (the default), or everyone. */
  resourcePeople: boolean;
}

/** People here and people elsewhere known here, oldest first, as the finder lists them. */
export async function findPeople(
  deps: Deps,
  viewer: Account,
  query: PeopleQuery,
): Promise<Page<PersonView>> {
  const detailsVisible = profileDetailsVisibleTo(viewer);
  const rows = await deps.db
    .select({ account: accounts, seesDetails: sql<boolean>`${detailsVisible}` })
    .from(accounts)
    .where(
      and(
        isShownPerson,
        query.resourcePeople ? eq(accounts.resourcePerson, true) : undefined,
        peopleMatching(query, detailsVisible),
        afterCursor(accounts.createdAt, accounts.id, query.cursor, "oldest"),
      ),
    )
    .orderBy(...cursorOrder(accounts.createdAt, accounts.id, "oldest"))
    .limit(query.limit + 1);
  return toPage(rows, query.limit, (row) => row.account);
}
