/** A failed call, with the server's code and its message in the reader's language. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type Send = (request: Request) => Promise<Response>;

/**
 * The HTTP API as the client uses it: JSON in and out, the session cookie carried along.
 * On the server, `send` answers in-process, so pages are rendered from the same calls.
 */
export function createApi(origin: string, send: Send = (request) => fetch(request)) {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers["content-type"] = "application/json";
    }
    const response = await send(
      new Request(new URL(`/api/v1${path}`, origin), {
        method,
        headers,
        body: payload,
        credentials: "same-origin",
      }),
    );
    if (response.status === 204) return undefined as T;
    const data = await response.json().catch(() => null);
    if (!response.ok) {
      const error = data?.error ?? {};
      throw new ApiError(
        response.status,
        error.code ?? "error",
        error.message ?? response.statusText,
      );
    }
    return data as T;
  }
  return {
    get: <T>(path: string) => call<T>("GET", path),
    post: <T>(path: string, body: unknown = {}) => call<T>("POST", path, body),
    patch: <T>(path: string, body: unknown) => call<T>("PATCH", path, body),
    put: <T>(path: string, body: unknown) => call<T>("PUT", path, body),
    delete: (path: string, body?: unknown) => call<void>("DELETE", path, body),
  };
}

export type Api = ReturnType<typeof createApi>;

export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface Me {
  id: string;
  username: string;
  handle: string;
  displayName: string;
  profession: string;
  organisation: string;
  country: string;
  locale: string;
  email: string;
  emailNotifications: "each" | "daily" | "weekly" | "none";
  /** Who sees their profession, organisation and country. */
  profileAudience: "everyone" | "members" | "admins";
  bio: string;
  languages: string[];
  expertise: string[];
  resourcePerson: boolean;
  isAdmin?: boolean;
  /** Their avatar's stored sizes by name, once they uploaded one. */
  avatarUrls?: Record<string, string> | null;
}

export interface Community {
  id: string;
  ref: string;
  handle: string;
  name: string;
  summary: string;
  privacy: "open" | "public" | "semi_private" | "private";
  hidden: boolean;
  archived: boolean;
  parent: string | null;
  conceptNote: { overview: string; purpose: string; engagement: string };
  eligibility: string;
  principles: string;
  memberCount: number;
  topics: string[];
  languages: string[];
  countries: string[];
  lastActivityAt: string;
  active: boolean;
  viewer: { state: string; role: string } | null;
  /** Its banner's stored sizes by name ("640x160", "1280x320"), once its admins uploaded one. */
  bannerUrls?: Record<string, string> | null;
}

/** A community with whether the viewer may read its content, or only see its public face. */
export interface CommunityProfile extends Community {
  contentReadable: boolean;
}

/** What an invitation link offers; `community` is null for an invitation to the instance. */
export interface InvitationPreview {
  id: string;
  community: string | null;
  communityName: string | null;
  email: string | null;
  invitedBy: Author;
  expiresAt: string;
}

/** What the directory can be filtered by, and how many communities each choice shows. */
export interface DirectoryFacets {
  topics: { value: string; count: number }[];
  languages: { value: string; count: number }[];
  countries: { value: string; count: number }[];
}

export interface Author {
  id: string;
  username: string;
  handle: string;
  displayName: string;
}

/** A person as the reader may see them: profession, organisation and country blank otherwise. */
export interface Person extends Author {
  profession: string;
  organisation: string;
  country: string;
  languages: string[];
  expertise: string[];
  resourcePerson: boolean;
  /** Their picture, once they uploaded one: each stored size by its name ("48", "96", "256"). */
  avatarUrl?: string | null;
  avatarUrls?: Record<string, string> | null;
}

export interface Profile extends Person {
  uri: string;
  bio: string;
  /** Their communities the reader may read. */
  communities: { ref: string; name: string }[];
}

export interface Translation {
  language: string;
  title: string;
  content: string;
  origin: "human" | "machine";
  translator: Author | null;
}

export interface Post {
  id: string;
  kind: string;
  community: string;
  author: Author | null;
  title: string;
  content: string;
  source: string;
  language: string;
  /** A page's parent page, and its place among its siblings. */
  parent?: string | null;
  position?: number;
  likeCount: number;
  commentCount: number;
  deleted: boolean;
  locked: boolean;
  pinned: boolean;
  /** When its facilitators featured it for the weekly mail. */
  digestFeaturedAt?: string | null;
  editedAt: string | null;
  createdAt: string;
  /** The languages it is translated into, and the version in the reader's, if any. */
  translations: string[];
  translation: Translation | null;
  mayTranslate: boolean;
  mayAskMachineTranslation: boolean;
  startsAt?: string;
  endsAt?: string;
  timezone?: string;
  location?: string;
  file?: { filename: string; category: string; url: string; size: number };
}

/** An event, as `/posts/:id` and `/events/:id` answer it. */
export interface CalendarEvent extends Post {
  startsAt: string;
  endsAt: string;
  timezone: string;
  location: string;
  onlineUrl: string | null;
  webinar: boolean;
  recordingUrl: string | null;
  slidesUrl: string | null;
  going: number;
  viewerRsvp: "going" | "not_going" | null;
}

export interface Comment {
  id: string;
  inReplyTo: string | null;
  author: Author | null;
  content: string;
  deleted: boolean;
  likeCount: number;
  createdAt: string;
}

export interface Member {
  id: string;
  account: Person;
  role: string;
  state: string;
  message?: string;
  /** Why an admin decided as they did (a ban's reason…), shown to admins only. */
  decisionReason?: string;
  createdAt: string;
}

export interface Notification {
  id: string;
  kind: string;
  subject: string | null;
  data: Record<string, string>;
  /** Who caused it, and the community it happened in. */
  actor: { username: string; displayName: string; handle: string } | null;
  place: { ref: string; name: string } | null;
  /** The page it is about; `/notifications/:id/open` marks it read on the way there. */
  target: string | null;
  read: boolean;
  createdAt: string;
}

/** A search result, as `/search` answers it. */
export interface SearchHit {
  kind: "discussion" | "announcement" | "page" | "event" | "file" | "comment" | "community";
  id: string;
  community: string;
  title: string;
  excerpt: string;
  language: string | null;
  /** For a comment: its post. */
  post: string | null;
  createdAt: string;
}
