import { eq } from "drizzle-orm";
import { type Account, accounts } from "../../db/schema/accounts.ts";
import { communities } from "../../db/schema/communities.ts";
import type { Deps } from "../deps.ts";
import { refOf } from "../urls.ts";
import { recordDecision } from "./audit.ts";
import { administerCommunity, type CommunityView, viewCommunity } from "./communities.ts";
import { replaceImage } from "./images.ts";

/** A person's new avatar, resized, or none when `bytes` is null; answers the account as it is now. */
export async function setAvatar(
  deps: Deps,
  account: Account,
  bytes: Uint8Array | null,
): Promise<Account> {
  return replaceImage(deps, "avatar", bytes, (avatar) =>
    deps.db.transaction(async (tx) => {
      // Read under a lock, so that of two uploads at once each removes the one it replaced.
      const [before] = await tx
        .select({ avatar: accounts.avatar })
        .from(accounts)
        .where(eq(accounts.id, account.id))
        .for("update");
      const [updated] = await tx
        .update(accounts)
        .set({ avatar, updatedAt: new Date() })
        .where(eq(accounts.id, account.id))
        .returning();
      return { replaced: before?.avatar ?? null, result: updated ?? account };
    }),
  );
}

/**
 * A community's new banner, or none when `bytes` is null, set by its admins (administerCommunity
 * asks privacy.ts); logged as a change of settings and told to the servers that follow it.
 */
export async function setBanner(
  deps: Deps,
  ref: string,
  viewer: Account,
  bytes: Uint8Array | null,
): Promise<CommunityView> {
  const view = await administerCommunity(deps, ref, viewer);
  const { id } = view.community;
  await replaceImage(deps, "banner", bytes, (banner) =>
    deps.db.transaction(async (tx) => {
      // Read under a lock, so that of two uploads at once each removes the one it replaced.
      const [before] = await tx
        .select({ banner: communities.banner })
        .from(communities)
        .where(eq(communities.id, id))
        .for("update");
      await tx
        .update(communities)
        .set({ banner, updatedAt: new Date() })
        .where(eq(communities.id, id));
      await recordDecision(tx, {
        communityId: id,
        actorId: viewer.id,
        action: "community_updated",
        details: { changes: [{ field: "banner" }] },
      });
      await deps.federation.publish(tx, { type: "community_updated", communityId: id });
      return { replaced: before?.banner ?? null, result: undefined };
    }),
  );
  return viewCommunity(deps, refOf(view.community), viewer);
}
