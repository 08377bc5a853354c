import { and, eq, isNull, or } from "drizzle-orm";
import { type Account, accounts } from "../../db/schema/accounts.ts";
import { memberships } from "../../db/schema/memberships.ts";
import type { Deps } from "../deps.ts";
import { handleOf } from "../urls.ts";
import { notify } from "./notifications.ts";
import { isActiveWithRoleAtLeast } from "./privacy.ts";
import { claimActivity } from "./received-activities.ts";
import { communityOfPost, findWriting } from "./replicas.ts";

/**
 * A report (`Flag`) from another server about posts or replies here reaches the
 * administrators of their community and of this instance, in the app, once however often
 * it is delivered. Returns how many of the reported items were found.
 */
export async function receiveReport(
  deps: Deps,
  reporter: Account,
  report: { activityId: string; targetUris: string[]; reason: string },
): Promise<number> {
  return deps.db.transaction(async (tx) => {
    if (!(await claimActivity(tx, report.activityId))) return 0;
    let found = 0;
    for (const uri of report.targetUris) {
      const writing = await findWriting(deps, tx, uri);
      if (!writing) continue;
      found++;
      const community = await communityOfPost(tx, writing.postId);
      const admins = await tx
        .selectDistinct({ id: accounts.id })
        .from(accounts)
        .leftJoin(
          memberships,
          and(eq(memberships.accountId, accounts.id), eq(memberships.communityId, community.id)),
        )
        .where(
          and(
            isNull(accounts.domain),
            or(eq(accounts.isAdmin, true), isActiveWithRoleAtLeast("admin")),
          ),
        );
      for (const admin of admins) {
        await notify(tx, {
          accountId: admin.id,
          kind: "report",
          communityId: community.id,
          subjectId: writing.row.id,
          actorId: reporter.id,
          data: {
            community: community.slug,
            target: uri,
            reason: report.reason.slice(0, 1000),
            reporter: handleOf(deps.config.publicUrl, reporter.username, reporter),
          },
        });
      }
    }
    return found;
  });
}
