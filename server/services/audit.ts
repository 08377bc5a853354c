import { and, eq, isNull } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "../../db/index.ts";
import { accounts } from "../../db/schema/accounts.ts";
import { type AuditAction, auditEntries } from "../../db/schema/audit.ts";
import type { MemberRole } from "../../db/schema/memberships.ts";
import { afterCursor, cursorOrder, type PageRequest, toPage } from "../pagination.ts";

/**
 * One setting a change touched. Short values (privacy, flags, the name) keep what they were and
 * became, so the log reads "privacy from open to semi-private"; long texts keep only their name.
 */
export interface SettingChange {
  field: string;
  from?: unknown;
  to?: unknown;
}

/** What a decision keeps besides who took it and about whom: what changed and why. */
export interface AuditDetails {
  /** Why a person was declined, removed, banned or let back. */
  reason?: string;
  /** A role change: the role before and after. */
  from?: MemberRole;
  to?: MemberRole;
  /** Whom an invitation went to: an e-mail address or a fediverse handle. */
  email?: string;
  handle?: string;
  /** A settings change. */
  changes?: SettingChange[];
  /** The server a domain block stopped federating with. */
  domain?: string;
}

export interface AuditRecord {
  /** Null for the instance administrator's decisions that concern no community. */
  communityId: string | null;
  actorId: string;
  action: AuditAction;
  targetAccountId?: string | undefined;
  details?: AuditDetails;
}

/** The reason an admin gave, when they gave one. */
export function withReason(reason: string | undefined): AuditDetails {
  const text = reason?.trim();
  return text ? { reason: text } : {};
}

export async function recordDecision(db: Executor, entry: AuditRecord): Promise<void> {
  await db.insert(auditEntries).values({ ...entry, details: { ...entry.details } });
}

/**
 * What `after` would really change in `before`, for the log: unchanged and unset fields are left
 * out; those in `valuesKept` keep what they were and became.
 */
export function settingChanges(
  before: object,
  after: object,
  valuesKept: ReadonlySet<string>,
): SettingChange[] {
  const was = before as Record<string, unknown>;
  return Object.entries(after)
    .filter(([field, value]) => value !== undefined && !sameValue(was[field], value))
    .map(([field, to]) => (valuesKept.has(field) ? { field, from: was[field], to } : { field }));
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

const target = alias(accounts, "target");

/** A community's log, or with `communityId` null the instance administrator's, newest first. */
export async function listAuditEntries(
  db: Executor,
  communityId: string | null,
  page: PageRequest,
) {
  const rows = await db
    .select({
      id: auditEntries.id,
      action: auditEntries.action,
      details: auditEntries.details,
      createdAt: auditEntries.createdAt,
      actor: accounts.username,
      target: target.username,
    })
    .from(auditEntries)
    .leftJoin(accounts, eq(accounts.id, auditEntries.actorId))
    .leftJoin(target, eq(target.id, auditEntries.targetAccountId))
    .where(
      and(
        communityId === null
          ? isNull(auditEntries.communityId)
          : eq(auditEntries.communityId, communityId),
        afterCursor(auditEntries.createdAt, auditEntries.id, page.cursor),
      ),
    )
    .orderBy(...cursorOrder(auditEntries.createdAt, auditEntries.id))
    .limit(page.limit + 1);
  return toPage(rows, page.limit, (row) => row);
}
