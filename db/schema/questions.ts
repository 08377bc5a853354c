import { index, pgEnum, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { accounts } from "./accounts.ts";
import { communities } from "./communities.ts";
import { instant } from "./instant.ts";

export const questionStates = ["open", "assigned", "answered"] as const;
export type QuestionState = (typeof questionStates)[number];
export const questionState = pgEnum("question_state", questionStates);

/** The longest question or answer kept. */
export const maxQuestionLength = 5000;

/**
 * A member's private question to their community's facilitators ("direct connect"), which a
 * facilitator may hand to someone to answer. Who reads it: services/privacy.ts.
 */
export const questions = pgTable(
  "questions",
  {
    id: uuid().primaryKey().defaultRandom(),
    communityId: uuid()
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    askerId: uuid()
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    body: text().notNull(),
    state: questionState().notNull().default("open"),
    assigneeId: uuid().references(() => accounts.id, { onDelete: "set null" }),
    answer: text(),
    createdAt: instant().notNull().defaultNow(),
    answeredAt: instant(),
  },
  (table) => [
    index("questions_community_state_idx").on(table.communityId, table.state, table.createdAt),
    index("questions_asker_idx").on(table.askerId),
    index("questions_assignee_idx").on(table.assigneeId),
  ],
);

export type Question = typeof questions.$inferSelect;
