import { and, eq, isNull, type Placeholder, type SQL, sql } from "drizzle-orm";
import type { Database, Executor } from "../../db/index.ts";
import { preparedFor } from "../../db/prepared.ts";
import { accounts } from "../../db/schema/accounts.ts";
import { communities } from "../../db/schema/communities.ts";
import { actorNames } from "../../db/schema/names.ts";
import { DomainError } from "../errors.ts";

/** Names that would shadow the instance's own routes or actors. */
const reservedNames = new Set([
  "admin",
  "administrator",
  "api",
  "app",
  "actor",
  "actors",
  "assets",
  "communities",
  "community",
  "inbox",
  "instance",
  "invitations",
  "me",
  "moderator",
  "nodeinfo",
  "outbox",
  "praxis",
  "root",
  "settings",
  "static",
  "support",
  "system",
  "well-known",
]);

export function isReservedName(name: string): boolean {
  return reservedNames.has(name.toLowerCase());
}

/** Takes `name` for an account or community, failing if any actor already holds it. */
export async function claimName(
  db: Executor,
  name: string,
  owner: { accountId: string } | { communityId: string },
): Promise<void> {
  if (isReservedName(name)) throw new DomainError("name_taken", { name });
  const claimed = await db
    .insert(actorNames)
    .values({ name: name.toLowerCase(), ...owner })
    .onConflictDoNothing()
    .returning();
  if (claimed.length === 0) throw new DomainError("name_taken", { name });
}

/** Asked several times for each activity a community receives or sends: prepared once. */
const nameOwner = preparedFor((db) =>
  db
    .select()
    .from(actorNames)
    .where(eq(actorNames.name, sql.placeholder("name")))
    .prepare("actor_name_owner"),
);

export async function findNameOwner(db: Database, name: string) {
  const [row] = await nameOwner(db).execute({ name: name.toLowerCase() });
  return row;
}

/** The local account called `username`; people on other servers may share the name. */
export function localAccountNamed(username: string): SQL | undefined {
  return and(isNull(accounts.domain), sql`lower(${accounts.username}) = lower(${username})`);
}

/**
 * The account on another server that `username@domain` names: of two actors there going by
 * one name, the one holding the handle (db/schema/accounts.ts, `holdsHandle`).
 */
export function remoteAccountNamed(username: string, domain: string): SQL | undefined {
  return and(
    eq(accounts.domain, domain),
    sql`lower(${accounts.username}) = lower(${username})`,
    eq(accounts.holdsHandle, true),
  );
}

/** The community `slug` on `domain`, or the local one when `domain` is null. */
export function communityNamed(slug: string | Placeholder, domain: string | null): SQL | undefined {
  return and(
    domain === null
      ? isNull(communities.domain)
      : sql`lower(${communities.domain}) = lower(${domain})`,
    sql`lower(${communities.slug}) = lower(${slug})`,
  );
}
