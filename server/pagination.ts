import {
  and,
  asc,
  type Column,
  desc,
  eq,
  gt,
  lt,
  or,
  type Placeholder,
  type SQL,
} from "drizzle-orm";
import { DomainError } from "./errors.ts";

export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

export interface CursorPosition {
  createdAt: Date;
  id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString(
    "base64url",
  );
}

export function decodeCursor(cursor: string): CursorPosition {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    const date = new Date(createdAt);
    if (typeof id !== "string" || Number.isNaN(date.getTime())) throw new Error("bad cursor");
    return { createdAt: date, id };
  } catch {
    throw new DomainError("invalid_input", { field: "cursor" });
  }
}

export type Direction = "newest" | "oldest";

/** Rows strictly after the cursor when listing by (createdAt, id) in `direction`. */
export function afterCursor(
  createdAt: Column,
  id: Column,
  cursor: string | undefined,
  direction: Direction = "newest",
): SQL | undefined {
  return cursor ? beyondPosition(createdAt, id, decodeCursor(cursor), direction) : undefined;
}

/** Rows strictly after a position, given as values or as a prepared query's placeholders. */
export function beyondPosition(
  createdAt: Column,
  id: Column,
  position: { createdAt: Date | Placeholder; id: string | Placeholder },
  direction: Direction = "newest",
): SQL | undefined {
  const beyond = direction === "newest" ? lt : gt;
  return or(
    beyond(createdAt, position.createdAt),
    and(eq(createdAt, position.createdAt), beyond(id, position.id)),
  );
}

export function cursorOrder(createdAt: Column, id: Column, direction: Direction = "newest"): SQL[] {
  const by = direction === "newest" ? desc : asc;
  return [by(createdAt), by(id)];
}

/** Turns `limit + 1` fetched rows into a page and the cursor after its last row. */
export function toPage<Row>(
  rows: Row[],
  limit: number,
  positionOf: (row: Row) => CursorPosition,
): Page<Row> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next: rows.length > limit && last ? encodeCursor(positionOf(last)) : null };
}
