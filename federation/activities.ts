import type { Context } from "@fedify/fedify";
import { type Activity, Announce, type Object as APObject, Create } from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import type { Account } from "../db/schema/accounts.ts";
import type { Community } from "../db/schema/communities.ts";
import type { FederationContext } from "./context.ts";
import { audienceOf, groupUri, personUri } from "./objects.ts";

type Ctx = Context<FederationContext>;

/** The Create of a post or reply, by its author, addressed as the object is. */
export function createOf(ctx: Ctx, object: APObject, author: Account, community: Community) {
  return new Create({
    id: new URL(`${object.id?.href}#create`),
    actor: personUri(ctx, author),
    object,
    tos: object.toIds,
    ccs: object.ccIds,
    audience: groupUri(ctx, community),
  });
}

/**
 * A local community relaying one of its members' activities (FEP-1b12). `published` is when
 * it relayed: GoToSocial dates the boost by it and otherwise logs it as unusable
 * (internal/typeutils/astointernal.go, ASAnnounceToStatus).
 */
export function announceOf(ctx: Ctx, community: Community, activity: Activity, id?: URL) {
  return relayOf(ctx, community, activity, id);
}

/**
 * A local community sharing a post or reply itself, as a boost: what Mastodon-API servers
 * show. GoToSocial takes an Announce's object id as the status to fetch and drops it when
 * the fetched object's id differs (internal/federation/dereferencing/status.go,
 * enrichStatus: "dereferenced status uri … does not match"), so the `…#create` of
 * `announceOf(createOf(…))` never shows there; Lemmy sends this form beside the wrapped one.
 */
export function boostOf(ctx: Ctx, community: Community, object: APObject, id?: URL) {
  return relayOf(ctx, community, object, id);
}

function relayOf(ctx: Ctx, community: Community, object: APObject, id?: URL) {
  const group = groupUri(ctx, community);
  const { tos, ccs } = audienceOf(ctx, community);
  return new Announce({
    id: id ?? new URL(`#announce/${crypto.randomUUID()}`, group),
    actor: group,
    object,
    published: Temporal.Now.instant(),
    tos,
    ccs,
  });
}
