import type { InboxContext } from "@fedify/fedify";
import type { Flag } from "@fedify/vocab";
import { receiveReport } from "../../server/services/reports.ts";
import type { FederationContext } from "../context.ts";
import { rememberAccount } from "../remote-actors.ts";
import { ignore } from "./ignored.ts";

/**
 * A report from another server's moderators or members (or the server itself, as Mastodon and
 * Praxis sign theirs), about content here: it joins the moderators' queue. Without an id a
 * report could not be told from its repeated deliveries, so it needs one.
 */
export async function onFlag(ctx: InboxContext<FederationContext>, flag: Flag): Promise<void> {
  if (!flag.id) return ignore(flag, "a report needs an id");
  const actor = await flag.getActor(ctx);
  const reporter = actor ? await rememberAccount(ctx.data.deps, actor) : null;
  if (!reporter) return ignore(flag, "its actor is no person this server can keep");
  const found = await receiveReport(ctx.data.deps, reporter, {
    activityId: flag.id.href,
    targetUris: flag.objectIds.map((id) => id.href),
    reason: flag.content?.toString() ?? "",
  });
  // Mastodon reports accounts as well as posts (app/lib/activitypub/activity/flag.rb); only
  // posts and replies join the reports queue here.
  if (found === 0) ignore(flag, "it reports no post or reply that is here, or came before");
}
