import type { InboxContext } from "@fedify/fedify";
import type { Flag } from "@fedify/vocab";
import { receiveReport } from "../../server/services/reports.ts";
import type { FederationContext } from "../context.ts";
import { rememberAccount } from "../remote-actors.ts";

/**
 * A report from another server's moderators or members, about content here. Without an id
 * a report could not be told from its repeated deliveries, so it needs one.
 */
export async function onFlag(ctx: InboxContext<FederationContext>, flag: Flag): Promise<void> {
  if (!flag.id) return;
  const actor = await flag.getActor(ctx);
  const reporter = actor ? await rememberAccount(ctx.data.deps, actor) : null;
  if (!reporter) return;
  await receiveReport(ctx.data.deps, reporter, {
    activityId: flag.id.href,
    targetUris: flag.objectIds.map((id) => id.href),
    reason: flag.content?.toString() ?? "",
  });
}
