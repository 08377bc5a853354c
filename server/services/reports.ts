import { and, eq, inArray, isNull, or } from "drizzle-orm";
import { type Account, accounts } from "../../db/schema/accounts.ts";
import { memberships } from "../../db/schema/memberships.ts";
import type { Deps } from "../deps.ts";
import { handleOf } from "../urls.ts";
import { notify } from "./notifications.ts";
import { communityOfPost, findWriting } from "./replicas.ts";

/**
 * A report (`Flag`) from another server about posts or replies here reaches the
 * administrators of their community and of this instance, in the app. Returns how many
 * of the reported items were found.
 */
export async function receiveReport(
  deps: Deps,
  reporter: Account,
  targetUris: string[],
  reason: string,
): Promise<number> {
  let found = 0;
  for (const uri of targetUris) {
    const writing = await findWriting(deps, deps.db, uri);
    if (!writing) continue;
    found++;
    const community = await communityOfPost(deps.db, writing.postId);
    const admins = await deps.db
      .selectDistinct({ id: accounts.id })
      .from(accounts)
      .leftJoin(
        memberships,
        and(eq(memberships.accountId, accounts.id), eq(memberships.communityId, community.id)),
      )
      .where(
        and(
          isNull(accounts.domain),
          or(
            eq(accounts.isAdmin, true),
            and(eq(memberships.state, "active"), inArray(memberships.role, ["owner", "admin"])),
          ),
        ),
      );
    for (const admin of admins) {
      await notify(deps.db, {
        accountId: admin.id,
        kind: "report",
        communityId: community.id,
        subjectId: writing.row.id,
        actorId: reporter.id,
        data: {
          community: community.slug,
          target: uri,
          reason: reason.slice(0, 1000),
          reporter: handleOf(deps.config.publicUrl, reporter.username, reporter),
        },
      });
    }
  }
  return found;
}
