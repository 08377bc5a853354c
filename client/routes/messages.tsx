import type { Conversation, Message, Page } from "../api.ts";
import { AuthorName } from "../components/author-name.tsx";
import { ErrorMessage } from "../components/error.tsx";
import { More, useMore, withCursor } from "../components/more.tsx";
import { Prose } from "../components/prose.tsx";
import { ReportAction } from "../components/report-form.tsx";
import { fieldsOf, useAction, usePublish } from "../components/use-action.ts";
import { useShell } from "../context.ts";
import { formatDateTime } from "../format.ts";
import { handlesIn } from "./messages-handles.ts";
import { defineScreen, type LoadContext, type ViewProps } from "./table.ts";

/*
 * Direct messages: the list of conversations, one conversation, and a new one. Drawn on the
 * server and posted as plain forms when scripts do not run (server/pages/message-forms.ts),
 * sent through the API when they do.
 */

/** A conversation and a page of its messages, from two calls. */
interface OneConversation {
  conversation: Conversation;
  messages: Page<Message>;
}

const conversationsPath = "/conversations?limit=50";
const messagesPath = (id: string) => `/conversations/${encodeURIComponent(id)}/messages?limit=50`;

/** The people in a conversation besides the reader, each name kept in its own direction. */
function Others({ conversation }: { conversation: Conversation }) {
  const { me } = useShell();
  const others = conversation.participants.filter((each) => each.id !== me?.id);
  return (
    <>
      {others.map((person, index) => (
        <span key={person.id}>
          {index > 0 ? ", " : null}
          <AuthorName author={person} />
        </span>
      ))}
    </>
  );
}

function When({ iso }: { iso: string }) {
  const { locale, timeZone } = useShell();
  return <time dateTime={iso}>{formatDateTime(locale, iso, timeZone)}</time>;
}

/** What one writes, in its own direction, and the button that sends it. */
function MessageField(props: { label: string; rows: number; busy: boolean; error: string | null }) {
  const { t } = useShell();
  return (
    <>
      <label for="message-body">{props.label}</label>
      <textarea id="message-body" name="body" rows={props.rows} dir="auto" required />
      <button type="submit" disabled={props.busy}>
        {t("messages.send")}
      </button>
      <ErrorMessage message={props.error} />
    </>
  );
}

function ConversationList({ data, query }: ViewProps<Page<Conversation>>) {
  const { t } = useShell();
  const list = useMore(data, conversationsPath);
  return (
    <>
      <h1>{t("messages.title")}</h1>
      <p>
        <a class="button" href="/messages/new">
          {t("messages.new")}
        </a>
      </p>
      {list.items.length === 0 ? <p>{t("messages.empty")}</p> : null}
      <ul class="cards">
        {list.items.map((conversation) => (
          <li key={conversation.id} class={conversation.unread > 0 ? "card unread" : "card"}>
            <a href={`/messages/${conversation.id}`}>
              <Others conversation={conversation} />
            </a>
            {conversation.unread > 0 ? (
              <>
                {" "}
                <span class="badge">{t("messages.unread", { count: conversation.unread })}</span>
              </>
            ) : null}
            <p class="meta">
              {conversation.last ? (
                <>
                  <AuthorName author={conversation.last.author} /> ·{" "}
                </>
              ) : null}
              <When iso={conversation.updatedAt} />
            </p>
          </li>
        ))}
      </ul>
      <More list={list} query={query} />
    </>
  );
}

function ConversationPage({ data, query }: ViewProps<OneConversation>) {
  const { t, api, me } = useShell();
  const { conversation } = data;
  const { busy, error, publish } = usePublish();
  const list = useMore(data.messages, messagesPath(conversation.id));
  // The page holds the newest messages; they read from the oldest down to the answer form.
  const inOrder = [...list.items].reverse();
  return (
    <>
      <p>
        <a href="/messages">{t("messages.all")}</a>
      </p>
      <h1>
        {t("messages.with")} <Others conversation={conversation} />
      </h1>
      <More list={list} query={query} label={t("messages.older")} />
      <ol class="cards messages">
        {inOrder.map((message) => (
          <li key={message.id} id={`message-${message.id}`} class="card">
            <p class="meta">
              <AuthorName author={message.author} /> · <When iso={message.createdAt} />
            </p>
            <Prose html={message.content} />
            {message.author.id === me?.id ? null : (
              <ReportAction target="messages" id={message.id} />
            )}
          </li>
        ))}
      </ol>
      <form
        method="post"
        action={`/messages/${conversation.id}`}
        onSubmit={(event) => {
          const form = event.currentTarget;
          const { body } = fieldsOf(event);
          publish(form, () => api.post(`/conversations/${conversation.id}/messages`, { body }));
        }}
      >
        <MessageField label={t("messages.answer")} rows={4} busy={busy} error={error} />
      </form>
    </>
  );
}

function NewConversation({ query }: ViewProps<unknown>) {
  const { t, api, navigate } = useShell();
  const { busy, error, run } = useAction();
  return (
    <form
      class="narrow"
      method="post"
      action="/messages"
      onSubmit={(event) => {
        const { to = "", body } = fieldsOf(event);
        void run(async () => {
          const started = await api.post<Conversation>("/conversations", {
            to: handlesIn(to),
            body,
          });
          navigate(`/messages/${started.id}`);
        });
      }}
    >
      <h1>{t("messages.new")}</h1>
      <label for="message-to">{t("messages.to")}</label>
      <input
        id="message-to"
        name="to"
        dir="ltr"
        autoComplete="off"
        aria-describedby="message-to-hint"
        defaultValue={query.get("to") ?? ""}
        required
      />
      <p id="message-to-hint" class="hint">
        {t("messages.toHint")}
      </p>
      <MessageField label={t("messages.body")} rows={6} busy={busy} error={error} />
    </form>
  );
}

/** One conversation and its latest messages; opening it reads them all. */
async function loadConversation({ api, params, query }: LoadContext): Promise<OneConversation> {
  const id = encodeURIComponent(params.id ?? "");
  const [conversation, messages] = await Promise.all([
    api.get<Conversation>(`/conversations/${id}`),
    api.get<Page<Message>>(withCursor(messagesPath(params.id ?? ""), query.get("cursor"))),
  ]);
  await api.post(`/conversations/${id}/read`);
  return { conversation, messages };
}

/** The most specific first: `/messages/new` is no conversation's id. */
export const messagesScreens = [
  defineScreen({
    pattern: "/messages/new",
    title: (t) => t("messages.new"),
    view: NewConversation,
  }),
  defineScreen<OneConversation>({
    pattern: "/messages/:id",
    load: loadConversation,
    title: (t) => t("messages.conversation"),
    view: ConversationPage,
  }),
  defineScreen<Page<Conversation>>({
    pattern: "/messages",
    load: ({ api, query }) =>
      api.get<Page<Conversation>>(withCursor(conversationsPath, query.get("cursor"))),
    title: (t) => t("messages.title"),
    view: ConversationList,
  }),
];
