import type { InboxContext } from "@fedify/fedify";
import type { Flag } from "@fedify/vocab";
import { receiveReport } from "../../server/services/reports.ts";
import type { FederationContext } from "../context.ts";
import { rememberAccount } from "../remote-actors.ts";

/** A report from another server's moderators or members, about content here. */
export async function onFlag(ctx: InboxContext<FederationContext>, flag: Flag): Promise<void> {
  const actor = await flag.getActor(ctx);
  const reporter = actor ? await rememberAccount(ctx.data.deps, actor) : null;
  if (!reporter) return;
  const targets = flag.objectIds.map((id) => id.href);
  await receiveReport(ctx.data.deps, reporter, targets, flag.content?.toString() ?? "");
}
