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

export type {
  AuditEntry,
  Author,
  CalendarEvent,
  CoffeeStatus,
  Comment,
  Community,
  CommunityMay,
  CommunityProfile,
  Conversation,
  DirectoryFacets,
  DomainBlocks,
  EmailAddresses,
  HostedCommunity,
  Instance,
  Invitation,
  InvitationPreview,
  Me,
  Member,
  Message,
  Notification,
  Person,
  Post,
  Profile,
  Question,
  Report,
  SearchHit,
  SharedFile,
  Translation,
} from "../server/api/contract.ts";
