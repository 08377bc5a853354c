import type { Context } from "@fedify/fedify";
import {
  type Activity,
  type Object as APObject,
  Create,
  Mention,
  PUBLIC_COLLECTION,
  Update,
} from "@fedify/vocab";
import type { Community } from "../db/schema/communities.ts";
import { handleOf } from "../server/urls.ts";
import type { MemberElsewhere } from "./collections.ts";
import type { FederationContext } from "./context.ts";
import { groupUri } from "./objects.ts";

type Ctx = Context<FederationContext>;

/** A Create or Update of writing meant for a community's members only, with that writing. */
async function membersOnlyWriting(ctx: Ctx, activity: Activity): Promise<APObject | null> {
  if (!(activity instanceof Create || activity instanceof Update)) return null;
  const object = await activity.getObject(ctx);
  if (!object) return null;
  const audience = [...object.toIds, ...object.ccIds];
  return audience.some((id) => id.href === PUBLIC_COLLECTION.href) ? null : object;
}

/**
 * The activity as a private mention of one member: the member added to the writing's audience
 * (the Group and its followers, which Lemmy and Mobilizon look for) and mentioned. Mastodon-API
 * servers have no audience for "the members of a group": a post to the Group and its followers
 * is a direct message to GoToSocial, as neither is public nor the author's followers (internal/
 * ap/extract.go, ExtractVisibility), which refuses the Group's boost of it (dereferencing/
 * status_permitted.go) and shows a direct status only to the accounts it mentions (filter/
 * visibility/status.go); Mastodon likewise (app/lib/activitypub/parser/status_parser.rb,
 * visibility, and the mentions it keeps). One member per activity: no member learns from it who else is
 * in the community, and GoToSocial's spam filter takes five mentions or more from a stranger
 * as spam (filter/spam/statusable.go).
 */
async function mentioning(
  ctx: Ctx,
  activity: Create | Update,
  object: APObject,
  member: MemberElsewhere,
  groupMention: Mention,
) {
  const tags = [];
  for await (const tag of object.getTags(ctx)) tags.push(tag);
  const tos = [member.id, ...object.toIds];
  // The Group is mentioned too, so the member reads where it was written; and with two tags
  // a comment's `tag` stays a list, which Lemmy's Note requires (crates/apub/objects/src/
  // protocol/note.rs, `tag: Vec`, not one-or-many).
  const readdressed = object.clone({
    tos,
    tags: [...tags, new Mention({ href: member.id, name: member.handle }), groupMention],
  });
  return activity.clone({ tos, object: readdressed });
}

/**
 * Sends an author's members-only writing (a Create or Update) to the community's members on
 * servers that are not Praxis ones, each as a private mention signed by the author; Praxis
 * servers keep it for their members from the Group's Announce. Anything public, or any
 * other activity, needs nothing more: answers the members it was not sent to.
 */
export async function mentionMembersPrivately(
  ctx: Ctx,
  author: { identifier: string },
  community: Community,
  activity: Activity,
  members: readonly MemberElsewhere[],
  options: { orderingKey?: string | undefined },
): Promise<readonly MemberElsewhere[]> {
  const object = await membersOnlyWriting(ctx, activity);
  if (!object) return members;
  const groupMention = new Mention({
    href: groupUri(ctx, community),
    name: handleOf(ctx.data.deps.config.publicUrl, community.slug, community),
  });
  const elsewhere = members.filter((member) => !member.speaksPraxis);
  for (const member of elsewhere) {
    const writing = activity as Create | Update;
    const mention = await mentioning(ctx, writing, object, member, groupMention);
    await ctx.sendActivity(author, member, mention, options);
  }
  return members.filter((member) => member.speaksPraxis);
}
