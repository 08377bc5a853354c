import type { InboxContext } from "@fedify/fedify";
import type { Invite } from "@fedify/vocab";
import { receiveInvitation } from "../../server/services/invitations.ts";
import { refreshCommunity } from "../actor-copies.ts";
import type { FederationContext } from "../context.ts";
import { localAccountCalled } from "../names.ts";
import { ignore } from "./ignored.ts";

type Ctx = InboxContext<FederationContext>;

/**
 * A community elsewhere invites a person of this server to join it (its own Invite, to
 * itself, naming them as the target). The community is read from its server as that person,
 * since a hidden one shows itself only to those it invited.
 */
export async function onInvite(ctx: Ctx, invite: Invite): Promise<void> {
  const group = invite.actorId;
  if (!group || invite.objectId?.href !== group.href) {
    return ignore(invite, "only a community's invitation to itself is taken");
  }
  const [target] = invite.targetIds;
  const route = target ? ctx.parseUri(target) : null;
  const invitee =
    route?.type === "actor" ? await localAccountCalled(ctx.data.deps, route.identifier) : null;
  if (!invitee) return ignore(invite, "it invites no person of this server");
  const community = await refreshCommunity(ctx, group, invitee);
  if (!community) return ignore(invite, `${group.href} could not be read as ${invitee.username}`);
  await receiveInvitation(ctx.data.deps, community, invitee);
}
