import type { Federation } from "@fedify/fedify";
import { Object as APObject } from "@fedify/vocab";
import type { Account } from "../db/schema/accounts.ts";
import { type Community, type PrivacyLevel, privacyLevels } from "../db/schema/communities.ts";
import { type PostKind, postKinds } from "../db/schema/posts.ts";
import type { Deps } from "../server/deps.ts";
import { countMembers } from "../server/services/communities.ts";
import { type Facets, facetsFrom } from "../server/services/community-facets.ts";
import { publishesProfileDetails } from "../server/services/privacy.ts";
import { type ProfileFacets, profileFacetsFrom } from "../server/services/profiles.ts";
import type { FederationContext } from "./context.ts";
import { localAccountCalled, localCommunityCalled } from "./names.ts";

/**
 * What Praxis says of its communities and people beyond ActivityStreams: the exact privacy
 * level (Lemmy's `manuallyApprovesFollowers` tells only open from the rest), the About page,
 * the home's member count, a member's profile, and the kind of each post (a tag). The
 * namespace is written inline in each document's `@context`, never fetched; other software
 * ignores terms it does not know.
 */
export const praxisNamespace = "https://w3id.org/praxis#";
const prefix = "praxis";

export interface GroupTerms extends Facets {
  privacy: PrivacyLevel;
  archived: boolean;
  overview: string;
  purpose: string;
  engagement: string;
  eligibility: string;
  principles: string;
  memberCount: number;
  /** Its latest post or comment at home; absent when a home does not say (or says nonsense). */
  lastActivityAt?: Date;
}

export interface PersonTerms extends ProfileFacets {
  profession: string;
  country: string;
  organisation: string;
  /** Whether they offer to be a resource person: the finder of people lists them then. */
  resourcePerson: boolean;
}

export function groupTermsOf(community: Community, memberCount: number): GroupTerms {
  return {
    privacy: community.privacy,
    archived: community.archived,
    ...community.conceptNote,
    eligibility: community.eligibility,
    principles: community.principles,
    memberCount,
    topics: community.topics,
    languages: community.languages,
    countries: community.countries,
    lastActivityAt: community.lastActivityAt,
  };
}

/** A local person's profile as Praxis terms: blank where they show it to fewer than everyone. */
export function personTermsOf(account: Account): PersonTerms {
  const { profession, country, organisation } = publishesProfileDetails(account)
    ? account
    : { profession: "", country: "", organisation: "" };
  const { languages, expertise, resourcePerson } = account;
  return { profession, country, organisation, languages, expertise, resourcePerson };
}

/** The Praxis term naming a kind of post. */
const kindTerm = (kind: PostKind) => new URL(`${praxisNamespace}${kind}`);

/**
 * A post's kind as a tag: an object named by the Praxis term for it, which a Praxis replica
 * reads back (kindIn). Other software keeps only the tags of types it knows (Hashtag, Mention,
 * Emoji: Mastodon's process_tags, app/lib/activitypub/activity/create.rb; Lemmy's
 * ApubTag::Unknown, crates/apub/objects/src/protocol/tags.rs; Mobilizon's fetch_tag,
 * lib/federation/activity_stream/converter/utils.ex).
 */
export function kindTagOf(kind: PostKind): APObject {
  return new APObject({ id: kindTerm(kind), name: kind });
}

/** The kind of post a Praxis server tagged, among the ids of an object's tags. */
export function kindIn(tagIds: readonly URL[]): PostKind | null {
  return postKinds.find((kind) => tagIds.some((id) => id.href === kindTerm(kind).href)) ?? null;
}

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A served document with `fields` added, and `context` to its own `@context`. */
function withFields(document: JsonObject, context: JsonObject, fields: JsonObject): JsonObject {
  const own = document["@context"];
  const contexts = Array.isArray(own) ? own : own === undefined ? [] : [own];
  return { ...document, "@context": [...contexts, context], ...fields };
}

/** A served document with Praxis's terms added under its own prefix. */
export function withTerms(
  document: JsonObject,
  terms: GroupTerms | PersonTerms | { history: string },
): JsonObject {
  const prefixed = Object.fromEntries(
    Object.entries(terms).map(([name, value]) => [
      `${prefix}:${name}`,
      value instanceof Date ? value.toISOString() : value,
    ]),
  );
  return withFields(document, { [prefix]: praxisNamespace }, prefixed);
}

/**
 * Lemmy's flag for a community where only moderators post (`postingRestrictedToMods`,
 * crates/apub/objects/src/protocol/group.rs, in its own namespace: join-lemmy.org/context.json):
 * the nearest it has to an archived community, which takes no new posts at all.
 */
function withPostingRestriction(document: JsonObject, community: Community): JsonObject {
  return withFields(
    document,
    {
      lemmy: "https://join-lemmy.org/ns#",
      postingRestrictedToMods: "lemmy:postingRestrictedToMods",
    },
    { postingRestrictedToMods: community.archived },
  );
}

/** Whether the document's own context binds `praxis:` to this namespace (not to another's). */
function speaksPraxis(document: JsonObject): boolean {
  const context = document["@context"];
  const contexts = Array.isArray(context) ? context : [context];
  return contexts.some((entry) => isObject(entry) && entry[prefix] === praxisNamespace);
}

const text = (value: unknown, maxLength: number) =>
  typeof value === "string" ? value.slice(0, maxLength) : "";

/** A remote community's Praxis terms, if its document has them; malformed ones are dropped. */
export function readGroupTerms(document: unknown): GroupTerms | null {
  if (!isObject(document) || !speaksPraxis(document)) return null;
  const term = (name: string) => document[`${prefix}:${name}`];
  const privacy = term("privacy");
  if (!privacyLevels.includes(privacy as PrivacyLevel)) return null;
  const count = term("memberCount");
  const lastActivity = new Date(text(term("lastActivityAt"), 40) || Number.NaN);
  return {
    privacy: privacy as PrivacyLevel,
    archived: term("archived") === true,
    overview: text(term("overview"), 20_000),
    purpose: text(term("purpose"), 20_000),
    engagement: text(term("engagement"), 20_000),
    eligibility: text(term("eligibility"), 5_000),
    principles: text(term("principles"), 20_000),
    memberCount: Number.isSafeInteger(count) && (count as number) >= 0 ? (count as number) : 0,
    ...facetsFrom({
      topics: term("topics"),
      languages: term("languages"),
      countries: term("countries"),
    }),
    // A date to come would keep a community active for good.
    ...(lastActivity.getTime() <= Date.now() ? { lastActivityAt: lastActivity } : {}),
  };
}

/** Where a Praxis community lists all it holds, page by page: on its own server only. */
export function readHistoryLink(document: unknown, groupId: URL): URL | null {
  if (!isObject(document) || !speaksPraxis(document)) return null;
  const link = document[`${prefix}:history`];
  if (typeof link !== "string" || !URL.canParse(link)) return null;
  const url = new URL(link);
  return url.origin === groupId.origin ? url : null;
}

/** A remote person's profile, if their document has Praxis's terms. */
export function readPersonTerms(document: unknown): PersonTerms | null {
  if (!isObject(document) || !speaksPraxis(document)) return null;
  const term = (name: string) => text(document[`${prefix}:${name}`], 200);
  return {
    profession: term("profession"),
    country: term("country"),
    organisation: term("organisation"),
    ...profileFacetsFrom({
      languages: document[`${prefix}:languages`],
      expertise: document[`${prefix}:expertise`],
    }),
    resourcePerson: document[`${prefix}:resourcePerson`] === true,
  };
}

/**
 * Adds Praxis's terms (and Lemmy's posting flag) to the local Group and Person documents this
 * server serves; their dispatchers (actors.ts) have already decided the requester may see them.
 */
export function servingTerms(federation: Federation<FederationContext>, deps: Deps) {
  const ctx = federation.createContext(deps.config.publicUrl, { deps, viewer: async () => null });
  return async (document: unknown): Promise<unknown> => {
    if (!isObject(document) || typeof document.id !== "string") return document;
    const route = ctx.parseUri(new URL(document.id));
    if (route?.type !== "actor") return document;
    if (document.type === "Group") {
      const community = await localCommunityCalled(deps, route.identifier);
      if (!community) return document;
      const history = ctx.getCollectionUri("history", { identifier: route.identifier }).href;
      const count = await countMembers(deps.db, community.id);
      const terms = { ...groupTermsOf(community, count), history };
      return withTerms(withPostingRestriction(document, community), terms);
    }
    if (document.type === "Person") {
      const account = await localAccountCalled(deps, route.identifier);
      return account ? withTerms(document, personTermsOf(account)) : document;
    }
    return document;
  };
}
