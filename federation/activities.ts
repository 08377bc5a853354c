import type { Context } from "@fedify/fedify";
import { type Activity, Announce, type Object as APObject, Create } from "@fedify/vocab";
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

/** A local community relaying one of its members' activities (FEP-1b12). */
export function announceOf(ctx: Ctx, community: Community, activity: Activity, id?: URL) {
  const group = groupUri(ctx, community);
  const { tos, ccs } = audienceOf(ctx, community);
  return new Announce({
    id: id ?? new URL(`#announce/${crypto.randomUUID()}`, group),
    actor: group,
    object: activity,
    tos,
    ccs,
  });
}
