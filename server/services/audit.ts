import { and, eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "../../db/index.ts";
import { accounts } from "../../db/schema/accounts.ts";
import { type AuditAction, auditEntries } from "../../db/schema/audit.ts";
import { afterCursor, cursorOrder, type PageRequest, toPage } from "../pagination.ts";

export interface AuditRecord {
  communityId: string;
  actorId: string;
  action: AuditAction;
  targetAccountId?: string | undefined;
  details?: Record<string, unknown>;
}

export async function recordDecision(db: Executor, entry: AuditRecord): Promise<void> {
  await db.insert(auditEntries).values({ ...entry, details: entry.details ?? {} });
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
