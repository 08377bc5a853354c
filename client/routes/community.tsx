import type { ComponentType } from "preact";
import {
  ApiError,
  type CalendarEvent,
  type CoffeeStatus,
  type Community,
  type CommunityProfile,
  type Member,
  type Page,
  type Post,
  type SharedFile,
} from "../api.ts";
import type { ToolProps } from "../components/community-tools.tsx";
import { Connections } from "../components/connections.tsx";
import { ErrorMessage } from "../components/error.tsx";
import { AddToCalendar, EventTimes } from "../components/event-details.tsx";
import { FileCard } from "../components/file-card.tsx";
import { Lazy } from "../components/lazy.tsx";
import { More, useMore, withCursor } from "../components/more.tsx";
import { PageTree } from "../components/page-tree.tsx";
import { PeopleSearch, PersonCard, withPeopleFilters } from "../components/people.tsx";
import { PostList } from "../components/post-list.tsx";
import { PrivacyBadge } from "../components/privacy.tsx";
import { fieldsOf, usePublish } from "../components/use-action.ts";
import { useShell } from "../context.ts";
import { languageNames, locales } from "../i18n.ts";
import { AboutCommunity, CallToAction, CommunityFace, CommunityTitle } from "./community-face.tsx";
import { MemberAdmin } from "./community-settings.tsx";
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
  community: CommunityProfile;
  tab: Tab;
  /** What the tab lists, or null when the reader may not see it. */
  items: (Post | Member | Community)[] | null;
  /** Where the tab's list goes on, when it is longer than one page. */
  next: string | null;
  announcements: Post[];
  /** The reader's part in the coffee rounds, on the home of a community that connects them. */
  coffee: CoffeeStatus | null;
}

const listPath: Record<Tab, ((ref: string) => string) | null> = {
  home: (ref) => `/communities/${ref}/discussions?limit=10`,
  announcements: (ref) => `/communities/${ref}/announcements`,
  about: null,
  members: (ref) => `/communities/${ref}/members?limit=100`,
  discussions: (ref) => `/communities/${ref}/discussions?limit=50`,
  files: (ref) => `/communities/${ref}/files`,
  // All at once where they can be, to be shown as the tree they form.
  pages: (ref) => `/communities/${ref}/pages?limit=100`,
  calendar: (ref) => `/communities/${ref}/events`,
  groups: (ref) => `/communities?parent=${encodeURIComponent(ref)}`,
};

/** The tab's API list; the member directory's is filtered as the page's query asks. */
const tabListPath = (
  tab: Tab,
  path: (ref: string) => string,
  ref: string,
  query: URLSearchParams,
) => (tab === "members" ? withPeopleFilters(path(ref), query) : path(ref));

/** Members-only lists answer 403 or 404 to others: the tab then says so instead. */
async function listOrNull<T>(load: () => Promise<Page<T>>): Promise<Page<T> | null> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof ApiError && (error.status === 403 || error.status === 404)) return null;
    throw error;
  }
}

async function loadCommunity({ api, params, query }: LoadContext): Promise<Data> {
  const ref = params.ref ?? "";
  const tab = (tabs as readonly string[]).includes(params.tab ?? "") ? (params.tab as Tab) : "home";
  const community = await api.get<CommunityProfile>(
    `/communities/${encodeURIComponent(ref)}/profile`,
  );
  // Whoever may not read the content sees the community's face: nothing of it is asked for.
  if (!community.contentReadable) {
    return { community, tab, items: null, next: null, announcements: [], coffee: null };
  }
  const path = listPath[tab];
  const cursor = query.get("cursor");
  const home = tab === "home";
  const [list, announcements, coffee] = await Promise.all([
    path
      ? listOrNull<Post | Member | Community>(() =>
          api.get(withCursor(tabListPath(tab, path, community.ref, query), cursor)),
        )
      : { items: [], next: null },
    home
      ? listOrNull<Post>(() => api.get(`/communities/${community.ref}/announcements?limit=3`))
      : null,
    home && community.may.connect
      ? api.get<CoffeeStatus>(`/communities/${community.ref}/coffee`)
      : null,
  ]);
  return {
    community,
    tab,
    items: list?.items ?? null,
    next: list?.next ?? null,
    announcements: announcements?.items ?? [],
    coffee,
  };
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
        const { title, content, language } = fieldsOf(event);
        const body = { title, content, ...(language ? { language } : {}) };
        publish(form, () => api.post(`/communities/${community.ref}/${kind}`, body));
      }}
    >
      <h2>{t(`compose.${kind}`)}</h2>
      <label for={`${kind}-title`}>{t("compose.title")}</label>
      <input id={`${kind}-title`} name="title" required maxLength={300} dir="auto" />
      <label for={`${kind}-content`}>{t("compose.content")}</label>
      <textarea id={`${kind}-content`} name="content" rows={5} required dir="auto" />
      <label for={`${kind}-language`}>{t("compose.language")}</label>
      <select id={`${kind}-language`} name="language">
        <option value="">{t("compose.detectLanguage")}</option>
        {locales.map((code) => (
          <option key={code} value={code} lang={code}>
            {languageNames[code]}
          </option>
        ))}
      </select>
      <button type="submit" disabled={busy}>
        {t("compose.publish")}
      </button>
      <ErrorMessage message={error} />
    </form>
  );
}

function TabItems({ data }: { data: Data }) {
  const { t } = useShell();
  const { community, tab, items } = data;
  if (tab === "about") return <AboutCommunity community={community} />;
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
            <PersonCard key={member.id} person={member.account} role={t(`roles.${member.role}`)} />
          ))}
          {items.length === 0 ? <li>{t("people.none")}</li> : null}
        </ul>
      );
    case "files":
      return (
        <ul class="cards">
          {(items as SharedFile[]).map((file) => (
            <FileCard key={file.id} file={file} />
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
            {(items as CalendarEvent[]).map((event) => (
              <li key={event.id} class="card">
                <h3>
                  <a href={`/posts/${event.id}`} dir="auto">
                    {event.title}
                  </a>
                </h3>
                <EventTimes event={event} />
                {event.location ? (
                  <p class="meta">
                    <bdi>{event.location}</bdi>
                  </p>
                ) : null}
                <AddToCalendar event={event} />
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
              <a href={`/c/${group.ref}`} dir="auto">
                {group.name}
              </a>{" "}
              <PrivacyBadge community={group} />
            </li>
          ))}
          {items.length === 0 ? <li>{t("community.empty")}</li> : null}
        </ul>
      );
    case "pages":
      return <PageTree pages={items as Post[]} />;
    default:
      return <PostList posts={items as Post[]} empty={t("community.empty")} />;
  }
}

const noItems: never[] = [];

/** The tab's list, going on past its first page when the reader asks for more. */
function TabContent({ data, query }: { data: Data; query: URLSearchParams }) {
  const path = listPath[data.tab];
  const list = useMore(
    { items: data.items ?? noItems, next: data.next },
    path ? tabListPath(data.tab, path, data.community.ref, query) : null,
  );
  return (
    <>
      {data.tab === "members" && data.items !== null ? (
        <PeopleSearch action={`/c/${data.community.ref}/members`} query={query} />
      ) : null}
      <TabItems data={data.items === null ? data : { ...data, items: list.items }} />
      <More list={list} query={query} />
    </>
  );
}

const tools = () => import("../components/community-tools.tsx");
const memberTools: Partial<Record<Tab, () => Promise<ComponentType<ToolProps>>>> = {
  files: async () => (await tools()).FileUpload,
  calendar: async () => (await import("../components/event-form.tsx")).EventForm,
  pages: async () => (await tools()).PageForm,
};
/** A dormant community's home offers its admins to reactivate or archive it. */
const dormancyActions = async () =>
  (await import("../components/dormancy-actions.tsx")).DormancyActions;
const adminTools: Partial<Record<Tab, () => Promise<ComponentType<ToolProps>>>> = {
  members: async () => MemberAdmin,
  home: async () => (await import("../components/owner-checklist.tsx")).OwnerChecklist,
};

function CommunityView({ data, query }: ViewProps<Data>) {
  const { t } = useShell();
  const { community, tab } = data;
  if (!community.contentReadable) return <CommunityFace community={community} />;
  // What the reader may do is the server's to say (`may`), never worked out here.
  const { may } = community;
  return (
    <>
      <header class="community-head">
        <CommunityTitle community={community} />
        <CallToAction community={community} />
        {may.moderate ? (
          <p class="row">
            {may.administer ? (
              <>
                <a href={`/c/${community.ref}/requests`}>{t("admin.requests")}</a>
                <a href={`/c/${community.ref}/settings`}>{t("communitySettings.title")}</a>
                <a href={`/c/${community.ref}/analytics`}>{t("admin.analytics")}</a>
              </>
            ) : null}
            <a href={`/c/${community.ref}/reports`}>{t("report.queue")}</a>
            <a href={`/c/${community.ref}/questions`}>{t("questions.title")}</a>
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
      {may.post && tab === "discussions" ? (
        <Composer community={community} kind="discussions" />
      ) : null}
      {may.announce && tab === "announcements" ? (
        <Composer community={community} kind="announcements" />
      ) : null}
      {may.post && memberTools[tab] ? (
        <Lazy load={memberTools[tab]} props={{ community, items: data.items }} />
      ) : null}
      {tab === "home" && data.coffee ? (
        <Connections community={community} coffee={data.coffee} />
      ) : null}
      {tab === "groups" && may.createGroup ? (
        <p>
          <a class="button" href={`/new?parent=${encodeURIComponent(community.ref)}`}>
            {t("community.newGroup")}
          </a>
        </p>
      ) : null}
      {tab === "home" && may.administer && !community.active && !community.archived ? (
        <Lazy load={dormancyActions} props={{ community }} />
      ) : null}
      {may.administer && adminTools[tab] ? (
        <Lazy load={adminTools[tab]} props={{ community, items: data.items }} />
      ) : null}
      <TabContent data={data} query={query} />
    </>
  );
}

export const communityScreen = defineScreen<Data>({
  pattern: "/c/:ref/:tab?",
  load: loadCommunity,
  // Its home, and its face (the same on every tab), are named for the community alone, as
  // shared links show it.
  title: (t, data) =>
    data.tab === "home" || !data.community.contentReadable
      ? data.community.name
      : `${data.community.name} · ${t(`tabs.${data.tab}`)}`,
  description: (_t, data) => data.community.summary || data.community.conceptNote.overview,
  view: CommunityView,
});
