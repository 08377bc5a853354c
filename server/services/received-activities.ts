import type { Executor } from "../../db/index.ts";
import { receivedActivities } from "../../db/schema/federation.ts";

/**
 * Claims the one effect of an activity, inside the transaction that has it. False when a
 * delivery of the same activity already had it; one being processed at the same moment
 * makes this wait until it commits (false) or rolls back (true).
 */
export async function claimActivity(tx: Executor, activityId: string): Promise<boolean> {
  const claimed = await tx
    .insert(receivedActivities)
    .values({ id: activityId })
    .onConflictDoNothing()
    .returning({ id: receivedActivities.id });
  return claimed.length > 0;
}
