import type { ComponentType } from "preact";
import { ApiError, type Community, type Member, type Page, type Post } from "../api.ts";
import type { ToolProps } from "../components/community-tools.tsx";
import { ErrorMessage } from "../components/error.tsx";
import { Lazy } from "../components/lazy.tsx";
import { PostList } from "../components/post-list.tsx";
import { PrivacyBadge } from "../components/privacy.tsx";
import { fieldsOf, useAction, usePublish } from "../components/use-action.ts";
import { useShell } from "../context.ts";
import { formatDateTime, formatKilobytes, formatNumber } from "../format.ts";
import { defineScreen, type LoadContext, type ViewProps } from "./table.ts";

const tabs = [
  "home",
  "announcements",
  "about",
  "members",
  "discussions",
  "files",
  "pages",
  "calendar",
  "groups",
] as const;
type Tab = (typeof tabs)[number];

interface Data {
  community: Community;
  tab: Tab;
  /** What the tab lists, or null when the reader may not see it. */
  items: (Post | Member | Community)[] | null;
  announcements: Post[];
}

const isStaff = (community: Community) =>
  community.viewer?.state === "active" &&
  ["owner", "admin", "moderator"].includes(community.viewer.role);
export const isAdmin = (community: Community) =>
  community.viewer?.state === "active" && ["owner", "admin"].includes(community.viewer.role);
/** The services' rules: admins of a top-level community that is not archived. */
const mayCreateGroup = (community: Community) =>
  isAdmin(community) && community.parent === null && !community.archived;

const listPath: Record<Tab, ((ref: string) => string) | null> = {
  home: (ref) => `/communities/${ref}/discussions?limit=10`,
  announcements: (ref) => `/communities/${ref}/announcements`,
  about: null,
  members: (ref) => `/communities/${ref}/members?limit=100`,
  discussions: (ref) => `/communities/${ref}/discussions?limit=50`,
  files: (ref) => `/communities/${ref}/files`,
  pages: (ref) => `/communities/${ref}/pages`,
  calendar: (ref) => `/communities/${ref}/events`,
  groups: (ref) => `/communities?parent=${encodeURIComponent(ref)}`,
};

/** Members-only lists answer 403 or 404 to others: the tab then says so instead. */
async function listOrNull<T>(load: () => Promise<Page<T>>): Promise<T[] | null> {
  try {
    return (await load()).items;
  } catch (error) {
    if (error instanceof ApiError && (error.status === 403 || error.status === 404)) return null;
    throw error;
  }
}

async function loadCommunity({ api, params }: LoadContext): Promise<Data> {
  const ref = params.ref ?? "";
  const tab = (tabs as readonly string[]).includes(params.tab ?? "") ? (params.tab as Tab) : "home";
  const community = await api.get<Community>(`/communities/${encodeURIComponent(ref)}`);
  const path = listPath[tab];
  const [items, announcements] = await Promise.all([
    path ? listOrNull<Post | Member | Community>(() => api.get(path(community.ref))) : [],
    tab === "home"
      ? listOrNull<Post>(() => api.get(`/communities/${community.ref}/announcements?limit=3`))
      : [],
  ]);
  return { community, tab, items, announcements: announcements ?? [] };
}

function JoinPanel({ community }: { community: Community }) {
  const { t, me, api, refresh } = useShell();
  const { busy, error, run } = useAction();
  const state = community.viewer?.state;
  if (community.archived) return <p class="notice">{t("join.archived")}</p>;
  if (state === "active") {
    return (
      <p class="row">
        {t("join.member")}{" "}
        <button
          type="button"
          class="secondary"
          disabled={busy}
          onClick={() => run(() => api.post(`/communities/${community.ref}/leave`)).then(refresh)}
        >
          {t("join.leave")}
        </button>
        <ErrorMessage message={error} />
      </p>
    );
  }
  if (state === "pending") return <p class="notice">{t("join.pending")}</p>;
  if (state === "banned" || state === "rejected") return <p class="notice">{t("join.refused")}</p>;
  if (!me) {
    return (
      <p>
        <a href={`/signin?next=/c/${community.ref}`}>{t("join.signInToJoin")}</a>
      </p>
    );
  }
  if (community.privacy === "private" && state !== "invited") {
    return <p class="notice">{t("join.inviteOnly")}</p>;
  }
  const join = (message?: string) =>
    run(() => api.post(`/communities/${community.ref}/join`, message ? { message } : {})).then(
      refresh,
    );
  if (community.privacy === "semi_private" && state !== "invited") {
    return (
      <form
        class="panel"
        onSubmit={(event) => {
          void join(fieldsOf(event).message);
        }}
      >
        <h2>{t("join.requestTitle")}</h2>
        {community.eligibility ? (
          <p>
            <strong>{t("join.eligibility")}</strong> {community.eligibility}
          </p>
        ) : null}
        <label for="join-message">{t("join.message")}</label>
        <textarea id="join-message" name="message" rows={3} maxLength={2000} />
        <button type="submit" disabled={busy}>
          {t("join.request")}
        </button>
        <ErrorMessage message={error} />
      </form>
    );
  }
  return (
    <p>
      <button type="button" disabled={busy} onClick={() => void join()}>
        {t("join.join")}
      </button>
      <ErrorMessage message={error} />
    </p>
  );
}

function FollowFromElsewhere({ community }: { community: Community }) {
  const { t } = useShell();
  return (
    <details class="panel">
      <summary>{t("community.followElsewhere")}</summary>
      <p>{t("community.followExplain")}</p>
      <p class="row">
        <input readOnly value={community.handle} aria-label={t("community.handle")} />
        <button
          type="button"
          class="secondary"
          onClick={() => void navigator.clipboard?.writeText(community.handle)}
        >
          {t("community.copy")}
        </button>
      </p>
    </details>
  );
}

function Composer({
  community,
  kind,
}: {
  community: Community;
  kind: "discussions" | "announcements";
}) {
  const { t, api } = useShell();
  const { busy, error, publish } = usePublish();
  return (
    <form
      class="panel"
      onSubmit={(event) => {
        const form = event.currentTarget as HTMLFormElement;
        const { title, content } = fieldsOf(event);
        publish(form, () => api.post(`/communities/${community.ref}/${kind}`, { title, content }));
      }}
    >
      <h2>{t(`compose.${kind}`)}</h2>
      <label for={`${kind}-title`}>{t("compose.title")}</label>
      <input id={`${kind}-title`} name="title" required maxLength={300} />
      <label for={`${kind}-content`}>{t("compose.content")}</label>
      <textarea id={`${kind}-content`} name="content" rows={5} required />
      <button type="submit" disabled={busy}>
        {t("compose.publish")}
      </button>
      <ErrorMessage message={error} />
    </form>
  );
}

function About({ community }: { community: Community }) {
  const { t } = useShell();
  const note = community.conceptNote;
  return (
    <>
      <h2>{t("about.overview")}</h2>
      <p>{note.overview || community.summary}</p>
      {note.purpose ? (
        <>
          <h2>{t("about.purpose")}</h2>
          <p>{note.purpose}</p>
        </>
      ) : null}
      {note.engagement ? (
        <>
          <h2>{t("about.engagement")}</h2>
          <p>{note.engagement}</p>
        </>
      ) : null}
      {community.eligibility ? (
        <>
          <h2>{t("join.eligibility")}</h2>
          <p>{community.eligibility}</p>
        </>
      ) : null}
      <p>
        <PrivacyBadge community={community} /> {t(`privacy.${community.privacy}.explain`)}
      </p>
      <FollowFromElsewhere community={community} />
    </>
  );
}

function TabContent({ data }: { data: Data }) {
  const { t, locale, timeZone } = useShell();
  const { community, tab, items } = data;
  if (tab === "about") return <About community={community} />;
  if (items === null) return <p class="notice">{t("community.membersOnly")}</p>;
  switch (tab) {
    case "home":
      return (
        <>
          {data.announcements.length > 0 ? (
            <>
              <h2>{t("tabs.announcements")}</h2>
              <PostList posts={data.announcements} empty="" />
            </>
          ) : null}
          <h2>{t("tabs.discussions")}</h2>
          <PostList posts={items as Post[]} empty={t("community.noDiscussions")} />
        </>
      );
    case "members":
      return (
        <ul class="cards">
          {(items as Member[]).map((member) => (
            <li key={member.id} class="card">
              <strong>{member.account.displayName || member.account.username}</strong>{" "}
              <span class="meta">
                {member.account.handle} · {t(`roles.${member.role}`)}
              </span>
            </li>
          ))}
        </ul>
      );
    case "files":
      return (
        <ul class="cards">
          {(items as Post[]).map((file) => (
            <li key={file.id} class="card">
              <a href={file.file?.url} download>
                {file.title}
              </a>{" "}
              <span class="meta">
                {file.file?.category} · {formatKilobytes(locale, file.file?.size ?? 0)}
              </span>
            </li>
          ))}
          {items.length === 0 ? <li>{t("community.empty")}</li> : null}
        </ul>
      );
    case "calendar":
      return (
        <>
          <p>
            <a href={`/api/v1/communities/${community.ref}/events.ics`}>
              {t("community.subscribe")}
            </a>
          </p>
          <ul class="cards">
            {(items as Post[]).map((event) => (
              <li key={event.id} class="card">
                <h3>
                  <a href={`/posts/${event.id}`}>{event.title}</a>
                </h3>
                <p class="meta">
                  {event.startsAt ? formatDateTime(locale, event.startsAt, timeZone) : ""}
                  {event.location ? ` · ${event.location}` : ""}
                </p>
                <p>
                  <a
                    href={`/api/v1/events/${event.id}/event.ics`}
                    aria-label={t("community.addToCalendarLabel", { title: event.title })}
                  >
                    {t("community.addToCalendar")}
                  </a>
                </p>
              </li>
            ))}
            {items.length === 0 ? <li>{t("community.empty")}</li> : null}
          </ul>
        </>
      );
    case "groups":
      return (
        <ul class="cards">
          {(items as Community[]).map((group) => (
            <li key={group.id} class="card">
              <a href={`/c/${group.ref}`}>{group.name}</a> <PrivacyBadge community={group} />
            </li>
          ))}
          {items.length === 0 ? <li>{t("community.empty")}</li> : null}
        </ul>
      );
    default:
      return <PostList posts={items as Post[]} empty={t("community.empty")} />;
  }
}

const tools = () => import("../components/community-tools.tsx");
const memberTools: Partial<Record<Tab, () => Promise<ComponentType<ToolProps>>>> = {
  files: async () => (await tools()).FileUpload,
  calendar: async () => (await tools()).EventForm,
  pages: async () => (await tools()).PageForm,
};
const adminTools: Partial<Record<Tab, () => Promise<ComponentType<ToolProps>>>> = {
  members: async () => (await tools()).MemberAdmin,
};

function CommunityView({ data }: ViewProps<Data>) {
  const { t, locale } = useShell();
  const { community, tab } = data;
  const member = community.viewer?.state === "active" && !community.archived;
  return (
    <>
      <header class="community-head">
        <h1>{community.name}</h1>
        <p>{community.summary}</p>
        <p class="meta">
          <PrivacyBadge community={community} />{" "}
          {t("community.members", {
            count: community.memberCount,
            formatted: formatNumber(locale, community.memberCount),
          })}{" "}
          · <span dir="ltr">{community.handle}</span>
        </p>
        <JoinPanel community={community} />
        {isAdmin(community) ? (
          <p>
            <a href={`/c/${community.ref}/requests`}>{t("admin.requests")}</a>
          </p>
        ) : null}
      </header>
      <nav class="tabs" aria-label={t("community.sections")}>
        {tabs.map((name) => (
          <a
            key={name}
            href={name === "home" ? `/c/${community.ref}` : `/c/${community.ref}/${name}`}
            aria-current={name === tab ? "page" : undefined}
          >
            {t(`tabs.${name}`)}
          </a>
        ))}
      </nav>
      {member && tab === "discussions" ? (
        <Composer community={community} kind="discussions" />
      ) : null}
      {member && tab === "announcements" && isStaff(community) ? (
        <Composer community={community} kind="announcements" />
      ) : null}
      {member && memberTools[tab] ? (
        <Lazy load={memberTools[tab]} props={{ community, items: data.items }} />
      ) : null}
      {tab === "groups" && mayCreateGroup(community) ? (
        <p>
          <a class="button" href={`/new?parent=${encodeURIComponent(community.ref)}`}>
            {t("community.newGroup")}
          </a>
        </p>
      ) : null}
      {isAdmin(community) && adminTools[tab] ? (
        <Lazy load={adminTools[tab]} props={{ community, items: data.items }} />
      ) : null}
      <TabContent data={data} />
    </>
  );
}

export const communityScreen = defineScreen<Data>({
  pattern: "/c/:ref/:tab?",
  load: loadCommunity,
  title: (t, data) => `${data.community.name} · ${t(`tabs.${data.tab}`)}`,
  description: (_t, data) => data.community.summary,
  view: CommunityView,
});
