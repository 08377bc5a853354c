import type { Account } from "../db/schema/accounts.ts";
import type { Community } from "../db/schema/communities.ts";

/** A remote person or community as a recipient: its inbox, and its server's shared one. */
export function inboxOf(actor: Pick<Account | Community, "uri" | "inbox" | "sharedInbox">) {
  if (!actor.uri || !actor.inbox) throw new Error("a remote actor without an inbox");
  return {
    id: new URL(actor.uri),
    inboxId: new URL(actor.inbox),
    endpoints: actor.sharedInbox ? { sharedInbox: new URL(actor.sharedInbox) } : null,
  };
}
