import type { Account } from "../db/schema/accounts.ts";
import type { Deps } from "../server/deps.ts";

/** What Fedify hands every dispatcher: the services, and who is asking (resolved lazily). */
export interface FederationContext {
  deps: Deps;
  viewer: () => Promise<Account | null>;
}
