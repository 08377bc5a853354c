import type { InboxContext } from "@fedify/fedify";
import type { Update } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { refreshAccount, refreshCommunity } from "../actor-copies.ts";
import type { FederationContext } from "../context.ts";
import { findRemoteAccount, findRemoteCommunity } from "../remote-actors.ts";

type Ctx = InboxContext<FederationContext>;

const logger = getLogger(["praxis", "federation", "inbox", "update"]);

/** Whether an Update is an actor's news about itself (Mastodon, Lemmy and Praxis send these). */
export const isSelfUpdate = (update: Update) =>
  update.actorId !== null && update.objectId?.href === update.actorId.href;

/**
 * A community or person elsewhere changed: what the activity carries is only a notice. The
 * copy here is re-read from the actor's own document, so a community that becomes members-only
 * hides its content from non-members here at once, whatever the Update claims.
 */
export async function onActorUpdate(ctx: Ctx, update: Update): Promise<void> {
  const id = update.actorId;
  if (!id) return;
  const { deps } = ctx.data;
  const copy = (await findRemoteCommunity(deps, id.href))
    ? await refreshCommunity(ctx, id)
    : (await findRemoteAccount(deps, id.href))
      ? await refreshAccount(ctx, id)
      : undefined;
  if (copy === null) logger.info("Could not re-read {id} from its server", { id: id.href });
}
