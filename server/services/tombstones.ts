import { eq, sql } from "drizzle-orm";
import type { Executor } from "../../db/index.ts";
import type { Community } from "../../db/schema/communities.ts";
import { tombstones } from "../../db/schema/federation.ts";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";

/**
 * Makes the Delete of an object and the Create of the same object, processed at the same
 * moment by two workers, happen one after the other: else each misses what the other writes.
 */
async function lockObject(tx: Executor, uri: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${uri}, 0))`);
}

/**
 * Remembers that an object from another server is gone, deleted by `deletedBy`: an actor of
 * the object's own server, or the community elsewhere that relays it. The caller has checked
 * that the Delete is theirs to send.
 */
export async function buryObject(deps: Deps, uri: string, deletedBy: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await lockObject(tx, uri);
    await tx.insert(tombstones).values({ objectUri: uri, deletedBy }).onConflictDoNothing();
  });
}

/**
 * Refuses an object from another server that was deleted before it arrived here: by its own
 * server, or by `community` if it relays it. Waits for a deletion of it being processed.
 */
export async function assertNotBuried(
  tx: Executor,
  uri: string,
  community: Community,
): Promise<void> {
  await lockObject(tx, uri);
  const deleters = await tx
    .select({ deletedBy: tombstones.deletedBy })
    .from(tombstones)
    .where(eq(tombstones.objectUri, uri));
  const origin = new URL(uri).origin;
  const buried = deleters.some(
    ({ deletedBy }) => deletedBy === community.uri || new URL(deletedBy).origin === origin,
  );
  if (buried) throw new DomainError("post_deleted");
}
