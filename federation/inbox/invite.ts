import type { InboxContext } from "@fedify/fedify";
import type { Invite } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { receiveInvitation } from "../../server/services/invitations.ts";
import { refreshCommunity } from "../actor-copies.ts";
import type { FederationContext } from "../context.ts";
import { localAccountCalled } from "../names.ts";

type Ctx = InboxContext<FederationContext>;

const logger = getLogger(["praxis", "federation", "inbox", "invite"]);

/**
 * A community elsewhere invites a person of this server to join it (its own Invite, to
 * itself, naming them as the target). The community is read from its server as that person,
 * since a hidden one shows itself only to those it invited.
 */
export async function onInvite(ctx: Ctx, invite: Invite): Promise<void> {
  const group = invite.actorId;
  if (!group || invite.objectId?.href !== group.href) return;
  const [target] = invite.targetIds;
  const route = target ? ctx.parseUri(target) : null;
  const invitee =
    route?.type === "actor" ? await localAccountCalled(ctx.data.deps, route.identifier) : null;
  if (!invitee) return;
  const community = await refreshCommunity(ctx, group, invitee);
  if (!community) {
    logger.info("Could not read {group}, which invited {invitee}", {
      group: group.href,
      invitee: invitee.username,
    });
    return;
  }
  await receiveInvitation(ctx.data.deps, community, invitee);
}
