import type { Context, Federation } from "@fedify/fedify";
import { Application, Endpoints, Group, Person, PropertyValue } from "@fedify/vocab";
import { LanguageString } from "@fedify/vocab-runtime";
import type { Executor } from "../db/index.ts";
import type { Account } from "../db/schema/accounts.ts";
import type { Community } from "../db/schema/communities.ts";
import { escapeHtml } from "../server/html.ts";
import { i18n, supportedLocales } from "../server/i18n.ts";
import { relationOf } from "../server/services/communities.ts";
import { findNameOwner } from "../server/services/names.ts";
import {
  canSeeCommunity,
  isPublicToEveryone,
  publishesProfileDetails,
} from "../server/services/privacy.ts";
import { actorPathTemplate } from "../server/urls.ts";
import { tombstoneOfDeletedPerson } from "./account-deletion.ts";
import { actorImageOf } from "./actor-images.ts";
import { answersRequest, isHiddenFrom } from "./authorize.ts";
import type { FederationContext } from "./context.ts";
import { actorKeyPairs } from "./keys.ts";
import { localActorCalled, localCommunityById } from "./names.ts";

type ActorRecord =
  | { kind: "account"; account: Account }
  | { kind: "community"; community: Community };

/**
 * The local account or community an identifier names, if the requester may know of it:
 * accounts that are not active, and hidden communities outside their membership, do not exist.
 */
export async function findVisibleActor(
  ctx: Context<FederationContext>,
  identifier: string,
): Promise<ActorRecord | null> {
  const { account, community } = await localActorCalled(ctx.data.deps, identifier);
  if (account) {
    return account.state === "active" && !account.deletedAt ? { kind: "account", account } : null;
  }
  if (!community) return null;
  if (community.hidden && !(await knowsOf(ctx, community))) return null;
  return { kind: "community", community };
}

/**
 * Whether the requester is someone a hidden community knows of: signed in here, or signing
 * the request from their own server (a member's, or an invited person's, reading it there).
 */
async function knowsOf(ctx: Context<FederationContext>, community: Community): Promise<boolean> {
  const viewer = await ctx.data.viewer();
  if (canSeeCommunity(community, await relationOf(ctx.data.deps.db, community.id, viewer?.id))) {
    return true;
  }
  return answersRequest(ctx) && !(await isHiddenFrom(ctx, community));
}

/**
 * The server itself, as an actor: it signs the fetches made for no one in particular
 * (looking up a community, re-fetching a relayed post), which servers in secure mode require.
 */
export const instanceIdentifier = "instance";
// Keys are stored by owner; the instance's owner id is one no account or community can have.
const instanceKeyOwner = "00000000-0000-0000-0000-000000000000";

export const instanceKeyPairs = (db: Executor) => actorKeyPairs(db, instanceKeyOwner);

const paragraphs = (text: string) =>
  text
    .split(/\n\s*\n/)
    .filter((part) => part.trim())
    .map((part) => `<p>${escapeHtml(part.trim())}</p>`)
    .join("");

/**
 * A community's About page as HTML, once per language Praxis speaks (`contentMap`): Lemmy and
 * Mastodon show `summary`, and anyone reading the Group sees the conditions before joining.
 */
function aboutOf(community: Community): LanguageString[] {
  const { overview, purpose, engagement } = community.conceptNote;
  const sections = { overview, purpose, engagement, eligibility: community.eligibility } as const;
  const all = { ...sections, principles: community.principles };
  if (!Object.values(all).some((text) => text.trim())) return [];
  return supportedLocales.map((locale) => {
    const t = i18n.getFixedT(locale, "pages");
    const html = Object.entries(all)
      .filter(([, text]) => text.trim())
      .map(([name, text]) => `<h2>${escapeHtml(t(`actor.${name}`))}</h2>${paragraphs(text)}`)
      .join("");
    return new LanguageString(html, locale);
  });
}

/**
 * A member's profile as profile fields, the way Mastodon shows them beside a person, named in
 * the person's language: the languages they speak and their expertise always, their
 * profession, country and organisation only when everyone may see them.
 */
function profileFieldsOf(account: Account): PropertyValue[] {
  const t = i18n.getFixedT(account.locale, "pages");
  const languageNames = new Intl.DisplayNames([account.locale], { type: "language" });
  const details = publishesProfileDetails(account)
    ? (["profession", "country", "organisation"] as const).map((field) => ({
        name: t(`actor.${field}`),
        value: account[field].trim(),
      }))
    : [];
  const fields = [
    ...details,
    {
      name: t("profile.languages"),
      value: account.languages.map((tag) => languageNames.of(tag) ?? tag).join(", "),
    },
    { name: t("profile.expertise"), value: account.expertise.join(", ") },
  ];
  return fields
    .filter((field) => field.value)
    .map((field) => new PropertyValue({ name: field.name, value: escapeHtml(field.value) }));
}

type ActorContext = Context<FederationContext>;

async function commonOf(ctx: ActorContext, identifier: string) {
  const keys = await ctx.getActorKeyPairs(identifier);
  return {
    id: ctx.getActorUri(identifier),
    url: ctx.getActorUri(identifier),
    inbox: ctx.getInboxUri(identifier),
    endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
    publicKey: keys[0]?.cryptographicKey ?? null,
    assertionMethods: keys.map((key) => key.multikey),
  };
}

/** A local community as other servers see it; its Praxis terms are added when served. */
export async function groupOf(ctx: ActorContext, community: Community): Promise<Group> {
  const identifier = community.slug.toLowerCase();
  const parent = community.parentId
    ? await localCommunityById(ctx.data.deps.db, community.parentId)
    : null;
  return new Group({
    ...(await commonOf(ctx, identifier)),
    preferredUsername: community.slug,
    name: community.name,
    summary: community.summary ? `<p>${escapeHtml(community.summary)}</p>` : null,
    contents: aboutOf(community),
    // Lemmy reads this flag as "members only", and a community without it that is not
    // discoverable as "unlisted", whose posts must all be public (community_visibility and
    // verify_visibility, crates/apub/objects/src/utils/functions.rs): so whatever is not
    // public to everyone (every level but open, and a hidden open one) sets it.
    manuallyApprovesFollowers: !isPublicToEveryone(community),
    followers: ctx.getFollowersUri(identifier),
    outbox: ctx.getOutboxUri(identifier),
    featured: ctx.getFeaturedUri(identifier),
    attribution: ctx.getCollectionUri("moderators", { identifier }),
    discoverable: !community.hidden,
    image: actorImageOf(ctx.data.deps.config, "banner", community.banner, "1280x320"),
    // A working group names the community it belongs to, as the context it exists in.
    contexts: parent ? [ctx.getActorUri(parent.slug.toLowerCase())] : [],
  });
}

export function registerActors(federation: Federation<FederationContext>): void {
  federation
    .setActorDispatcher(actorPathTemplate, async (ctx, identifier) => {
      if (identifier === instanceIdentifier) {
        return new Application({
          ...(await commonOf(ctx, identifier)),
          preferredUsername: ctx.hostname,
          name: `Praxis (${ctx.host})`,
          manuallyApprovesFollowers: true,
          discoverable: false,
          // The network directory: this server's listed communities (directory.ts).
          streams: [ctx.getCollectionUri("directory", { identifier })],
        });
      }
      const actor = await findVisibleActor(ctx, identifier);
      if (!actor) return tombstoneOfDeletedPerson(ctx, identifier);
      if (actor.kind === "community") return groupOf(ctx, actor.community);
      const { account } = actor;
      return new Person({
        ...(await commonOf(ctx, identifier)),
        preferredUsername: account.username,
        name: account.displayName || account.username,
        summary: account.bio ? paragraphs(account.bio) : null,
        attachments: profileFieldsOf(account),
        icon: actorImageOf(ctx.data.deps.config, "avatar", account.avatar, "256"),
        // Lemmy refuses a Person without an outbox, and so every post and comment by them
        // (`outbox: Url`, crates/apub/objects/src/protocol/person.rs). People follow
        // communities here, not one another, so there is no followers collection to name.
        outbox: ctx.getOutboxUri(identifier),
        manuallyApprovesFollowers: false,
        discoverable: true,
      });
    })
    .mapHandle(async (ctx, username) => {
      // The server's own actor is named for its host: GoToSocial looks the signer of a fetch up
      // by that handle (internal/federation/dereferencing/account.go, enrichAccount).
      if (username.toLowerCase() === ctx.hostname.toLowerCase()) return instanceIdentifier;
      return (await findVisibleActor(ctx, username)) ? username.toLowerCase() : null;
    })
    .setKeyPairsDispatcher(async (ctx, identifier) => {
      if (identifier === instanceIdentifier) return instanceKeyPairs(ctx.data.deps.db);
      const owner = await findNameOwner(ctx.data.deps.db, identifier);
      const ownerId = owner?.accountId ?? owner?.communityId;
      return ownerId ? actorKeyPairs(ctx.data.deps.db, ownerId) : [];
    });
}
