import { and, eq } from "drizzle-orm";
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
  communityId: string;
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

const target = alias(accounts, "target");

export async function listAuditEntries(db: Executor, communityId: string, page: PageRequest) {
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
        eq(auditEntries.communityId, communityId),
        afterCursor(auditEntries.createdAt, auditEntries.id, page.cursor),
      ),
    )
    .orderBy(...cursorOrder(auditEntries.createdAt, auditEntries.id))
    .limit(page.limit + 1);
  return toPage(rows, page.limit, (row) => row);
}
