import type { Author, Community, Member, Page, Question } from "../api.ts";
import { AuthorName } from "../components/author-name.tsx";
import { BackLink } from "../components/back-link.tsx";
import { AskQuestion, maxQuestionLength } from "../components/connections.tsx";
import { profileHref } from "../components/people.tsx";
import { useShell } from "../context.ts";
import { formatDateTime } from "../format.ts";
import type { LoadContext, ViewProps } from "./table.ts";

interface Data {
  community: Community;
  questions: Question[];
  /** The community's resource people, offered to facilitators who hand a question on. */
  resourcePeople: Member[];
}

/**
 * The questions the reader may read (all for facilitators, else those they asked or were
 * handed), and the members who offer to answer them, for those who may hand them on.
 */
export async function loadQuestions({ api, params }: LoadContext): Promise<Data> {
  const ref = encodeURIComponent(params.ref ?? "");
  const [community, questions] = await Promise.all([
    api.get<Community>(`/communities/${ref}`),
    api.get<Page<Question>>(`/communities/${ref}/questions?limit=100`),
  ]);
  const assigns = questions.items.some((question) => question.viewer.may.assign);
  const members = assigns
    ? await api.get<Page<Member>>(`/communities/${ref}/members?limit=100`)
    : { items: [] };
  return {
    community,
    questions: questions.items,
    resourcePeople: members.items.filter((member) => member.account.resourcePerson),
  };
}

/** Handing a question to a member, a resource person proposed first. */
function AssignForm({ data, question }: { data: Data; question: Question }) {
  const { t } = useShell();
  const field = `assign-${question.id}`;
  return (
    <form method="post" action={`/c/${data.community.ref}/questions/${question.id}/assign`}>
      <label for={field}>{t("questions.assignTo")}</label>
      <input
        id={field}
        name="account"
        list="resource-people"
        required
        maxLength={300}
        dir="ltr"
        defaultValue={question.assignee?.username ?? ""}
      />
      <button type="submit">{t("questions.assign")}</button>
    </form>
  );
}

function AnswerForm({ data, question }: { data: Data; question: Question }) {
  const { t } = useShell();
  const field = `answer-${question.id}`;
  return (
    <form method="post" action={`/c/${data.community.ref}/questions/${question.id}/answer`}>
      <label for={field}>{t("questions.answer")}</label>
      <textarea id={field} name="body" rows={4} required maxLength={maxQuestionLength} dir="auto" />
      <button type="submit">{t("questions.sendAnswer")}</button>
    </form>
  );
}

function PersonLink({ person }: { person: Author | null }) {
  const href = person ? profileHref(person) : null;
  return href ? (
    <a href={href}>
      <AuthorName author={person} />
    </a>
  ) : (
    <AuthorName author={person} />
  );
}

function QuestionCard({ data, question }: { data: Data; question: Question }) {
  const { t, locale, timeZone } = useShell();
  return (
    <li class="card question">
      <p dir="auto" class="question-body">
        {question.body}
      </p>
      <p class="meta">
        {t("questions.askedBy")} <PersonLink person={question.asker} /> ·{" "}
        <time dateTime={question.createdAt}>
          {formatDateTime(locale, question.createdAt, timeZone)}
        </time>{" "}
        · {t(`questions.states.${question.state}`)}
        {question.assignee ? (
          <>
            {" "}
            · {t("questions.assignedTo")} <PersonLink person={question.assignee} />
          </>
        ) : null}
      </p>
      {question.answer ? (
        <blockquote class="answer">
          <p class="meta">{t("questions.answered")}</p>
          <p dir="auto">{question.answer}</p>
        </blockquote>
      ) : null}
      {question.viewer.may.assign ? <AssignForm data={data} question={question} /> : null}
      {question.viewer.may.answer ? <AnswerForm data={data} question={question} /> : null}
    </li>
  );
}

/**
 * Direct connect: a community's questions to its facilitators, open ones first. Every form is
 * a plain post the server answers with this page again (server/pages/people-forms.ts).
 */
export function Questions({ data, query }: ViewProps<Data>) {
  const { t } = useShell();
  const { community, questions } = data;
  const open = questions.filter((question) => question.state !== "answered");
  const answered = questions.filter((question) => question.state === "answered");
  const list = (items: Question[]) =>
    items.length > 0 ? (
      <ul class="cards">
        {items.map((question) => (
          <QuestionCard key={question.id} data={data} question={question} />
        ))}
      </ul>
    ) : (
      <p>{t("questions.none")}</p>
    );
  return (
    <>
      <BackLink href={`/c/${community.ref}`}>{community.name}</BackLink>
      <h1>{t("questions.title")}</h1>
      {query.has("asked") ? (
        <p class="notice" role="status">
          {t("questions.sent")}
        </p>
      ) : null}
      {/* Here too, as the community's home offers it only once scripts have drawn it. */}
      <AskQuestion community={community} />
      <datalist id="resource-people">
        {data.resourcePeople.map((member) => (
          <option key={member.id} value={member.account.username}>
            {member.account.displayName || member.account.username}
          </option>
        ))}
      </datalist>
      <section aria-labelledby="questions-open">
        <h2 id="questions-open">{t("questions.open")}</h2>
        {list(open)}
      </section>
      <section aria-labelledby="questions-answered">
        <h2 id="questions-answered">{t("questions.answeredTitle")}</h2>
        {list(answered)}
      </section>
    </>
  );
}
