import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { type Account, type Author, accounts, authorColumns } from "../../db/schema/accounts.ts";
import { type Community, communities } from "../../db/schema/communities.ts";
import { memberships } from "../../db/schema/memberships.ts";
import type { NotificationKind } from "../../db/schema/notifications.ts";
import { type Question, type QuestionState, questions } from "../../db/schema/questions.ts";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { composeMail, type MailKind } from "../mail/compose.ts";
import { afterCursor, cursorOrder, type PageRequest, toPage } from "../pagination.ts";
import { refOf } from "../urls.ts";
import { viewCommunity } from "./communities.ts";
import { sendMailQuietly } from "./mail.ts";
import { localAccountNamed } from "./names.ts";
import { notify, unsubscribeUrl } from "./notifications.ts";
import {
  canReadQuestion,
  connectsPeopleIn,
  isActive,
  isFacilitator,
  isFacilitatorMembership,
  mayAnswerQuestion,
  questionsReadableBy,
  type Relation,
  relationFrom,
} from "./privacy.ts";

/** A question as its reader sees it, with what the reader may do with it. */
export interface QuestionView {
  question: Question;
  community: Community;
  asker: Author | null;
  assignee: Author | null;
  may: { assign: boolean; answer: boolean };
}

type Recipient = Pick<Account, "id" | "email" | "locale" | "emailNotifications">;

const recipientColumns = {
  id: accounts.id,
  email: accounts.email,
  locale: accounts.locale,
  emailNotifications: accounts.emailNotifications,
};

/** Where a question is read and answered. */
const questionsPage = (deps: Deps, community: Community) =>
  new URL(`/c/${refOf(community)}/questions`, deps.config.publicUrl).href;

/**
 * Tells people of a step in a question's life: in the app always, by e-mail when they asked
 * for mail about each thing (the digests carry no questions).
 */
async function tell(
  deps: Deps,
  recipients: Recipient[],
  kind: NotificationKind & MailKind,
  view: { question: Question; community: Community },
  actor: Account,
) {
  const { question, community } = view;
  const params = {
    community: community.name,
    actor: actor.displayName || actor.username,
    question: question.body,
    answer: question.answer ?? "",
    instance: deps.config.publicUrl.host,
  };
  for (const recipient of recipients) {
    if (recipient.id === actor.id) continue;
    await notify(deps.db, {
      accountId: recipient.id,
      kind,
      communityId: community.id,
      subjectId: question.id,
      actorId: actor.id,
      data: { community: refOf(community), name: community.name },
    });
    if (recipient.emailNotifications !== "each") continue;
    const unsubscribe = await unsubscribeUrl(deps, recipient.id);
    await sendMailQuietly(
      deps,
      composeMail(kind, recipient, params, questionsPage(deps, community), unsubscribe),
    );
  }
}

function facilitatorsOf(deps: Deps, communityId: string): Promise<Recipient[]> {
  return deps.db
    .select(recipientColumns)
    .from(memberships)
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(
      and(
        eq(memberships.communityId, communityId),
        isFacilitatorMembership,
        isNull(accounts.domain),
      ),
    );
}

async function recipient(deps: Deps, id: string): Promise<Recipient[]> {
  return deps.db.select(recipientColumns).from(accounts).where(eq(accounts.id, id));
}

async function authorsById(deps: Deps, ids: (string | null)[]): Promise<Map<string, Author>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await deps.db
    .select(authorColumns)
    .from(accounts)
    .where(inArray(accounts.id, wanted));
  return new Map(rows.map((row) => [row.id, row]));
}

function toViews(
  rows: Question[],
  community: Community,
  people: Map<string, Author>,
  viewer: Account,
  relation: Relation,
): QuestionView[] {
  return rows.map((question) => ({
    question,
    community,
    asker: people.get(question.askerId) ?? null,
    assignee: question.assigneeId ? (people.get(question.assigneeId) ?? null) : null,
    may: {
      assign: isFacilitator(relation) && question.state !== "answered",
      answer: mayAnswerQuestion(question, viewer, relation) && question.state !== "answered",
    },
  }));
}

async function viewOf(deps: Deps, question: Question, community: Community, viewer: Account) {
  const relation = await relationIn(deps, community.id, viewer.id);
  const people = await authorsById(deps, [question.askerId, question.assigneeId]);
  const [view] = toViews([question], community, people, viewer, relation);
  if (!view) throw new Error("a question without its view");
  return { view, relation };
}

async function relationIn(deps: Deps, communityId: string, accountId: string): Promise<Relation> {
  const [row] = await deps.db
    .select({ state: memberships.state, role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.communityId, communityId), eq(memberships.accountId, accountId)));
  return row ? relationFrom(row) : null;
}

/** A member's question to the community's facilitators, who hear of it. */
export async function askQuestion(
  deps: Deps,
  ref: string,
  asker: Account,
  body: string,
): Promise<QuestionView> {
  const { community, relation } = await viewCommunity(deps, ref, asker);
  if (!connectsPeopleIn(community, relation)) throw new DomainError("members_only");
  const [question] = await deps.db
    .insert(questions)
    .values({ communityId: community.id, askerId: asker.id, body })
    .returning();
  if (!question) throw new Error("the question was not kept");
  await tell(
    deps,
    await facilitatorsOf(deps, community.id),
    "question_asked",
    { question, community },
    asker,
  );
  return (await viewOf(deps, question, community, asker)).view;
}

/**
 * The community's questions the viewer may read, newest first: all of them for facilitators,
 * else those they asked or were handed.
 */
export async function listQuestions(
  deps: Deps,
  ref: string,
  viewer: Account,
  query: PageRequest & { state?: QuestionState | undefined },
) {
  const { community, relation } = await viewCommunity(deps, ref, viewer);
  const rows = await deps.db
    .select()
    .from(questions)
    .where(
      and(
        eq(questions.communityId, community.id),
        questionsReadableBy(viewer),
        query.state ? eq(questions.state, query.state) : undefined,
        afterCursor(questions.createdAt, questions.id, query.cursor),
      ),
    )
    .orderBy(...cursorOrder(questions.createdAt, questions.id))
    .limit(query.limit + 1);
  const page = toPage(rows, query.limit, (row) => row);
  const people = await authorsById(
    deps,
    page.items.flatMap((row) => [row.askerId, row.assigneeId]),
  );
  return { items: toViews(page.items, community, people, viewer, relation), next: page.next };
}

/** A question for whoever may read it; to anyone else it does not exist. */
async function readQuestion(deps: Deps, id: string, viewer: Account) {
  const [row] = await deps.db
    .select({ question: questions, community: communities })
    .from(questions)
    .innerJoin(communities, eq(communities.id, questions.communityId))
    .where(eq(questions.id, id));
  if (!row) throw new DomainError("question_not_found");
  const { view, relation } = await viewOf(deps, row.question, row.community, viewer);
  if (!canReadQuestion(row.question, viewer, relation)) throw new DomainError("question_not_found");
  return { view, relation };
}

export async function viewQuestion(deps: Deps, id: string, viewer: Account) {
  return (await readQuestion(deps, id, viewer)).view;
}

/** The local account a facilitator names, as `name` or `@name@host` of this server. */
async function localAccountCalled(deps: Deps, name: string): Promise<Account | undefined> {
  const [username = "", host] = name.replace(/^@/, "").split("@");
  if (host && host.toLowerCase() !== deps.config.publicUrl.host) return undefined;
  const [account] = await deps.db.select().from(accounts).where(localAccountNamed(username));
  return account;
}

/**
 * A facilitator hands a question to a member of the community (a resource person, ideally)
 * to answer; handing it on again moves it. The new assignee hears of it.
 */
export async function assignQuestion(
  deps: Deps,
  id: string,
  viewer: Account,
  accountName: string,
): Promise<QuestionView> {
  const { view, relation } = await readQuestion(deps, id, viewer);
  if (!isFacilitator(relation)) throw new DomainError("moderators_only");
  if (view.question.state === "answered") throw new DomainError("question_answered");
  const assignee = await localAccountCalled(deps, accountName);
  if (!assignee || !isActive(await relationIn(deps, view.community.id, assignee.id)))
    throw new DomainError("assignee_not_member", { account: accountName });
  const [question] = await deps.db
    .update(questions)
    .set({ state: "assigned", assigneeId: assignee.id })
    .where(and(eq(questions.id, id), sql`${questions.state} <> 'answered'`))
    .returning();
  if (!question) throw new DomainError("question_answered");
  await tell(
    deps,
    await recipient(deps, assignee.id),
    "question_assigned",
    { question, community: view.community },
    viewer,
  );
  return (await viewOf(deps, question, view.community, viewer)).view;
}

/** The assignee or a facilitator answers, once; the asker hears of it. */
export async function answerQuestion(
  deps: Deps,
  id: string,
  viewer: Account,
  answer: string,
): Promise<QuestionView> {
  const { view, relation } = await readQuestion(deps, id, viewer);
  if (!mayAnswerQuestion(view.question, viewer, relation)) throw new DomainError("forbidden");
  const [question] = await deps.db
    .update(questions)
    .set({ state: "answered", answer, answeredAt: new Date() })
    .where(and(eq(questions.id, id), sql`${questions.state} <> 'answered'`))
    .returning();
  if (!question) throw new DomainError("question_answered");
  await tell(
    deps,
    await recipient(deps, question.askerId),
    "question_answered",
    { question, community: view.community },
    viewer,
  );
  return (await viewOf(deps, question, view.community, viewer)).view;
}
