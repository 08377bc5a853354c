import type { Account } from "../../db/schema/accounts.ts";
import type { Deps } from "../deps.ts";
import type { PageRequest } from "../pagination.ts";
import { assertInstanceAdmin } from "./accounts.ts";
import { listAuditEntries } from "./audit.ts";

/** The instance administrator's decisions that concern no community, newest first. */
export async function listInstanceAuditEntries(deps: Deps, viewer: Account, page: PageRequest) {
  assertInstanceAdmin(viewer);
  return listAuditEntries(deps.db, null, page);
}
