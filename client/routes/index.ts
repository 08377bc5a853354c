import type { Community, Member, Notification } from "../api.ts";
import { communityScreen } from "./community.tsx";
import { directoryScreen } from "./directory.tsx";
import { defineScreen, type Screen } from "./table.ts";
import { threadScreen } from "./thread.tsx";

/** Every screen, the most specific patterns first. */
export const screens: Screen[] = [
  directoryScreen,
  defineScreen<{ community: Community; pending: Member[] }>({
    pattern: "/c/:ref/requests",
    load: async ({ api, params }) => {
      const community = await api.get<Community>(`/communities/${params.ref}`);
      const pending = await api.get<{ items: Member[] }>(
        `/communities/${community.ref}/members?state=pending&limit=100`,
      );
      return { community, pending: pending.items };
    },
    title: (t) => t("admin.requests"),
    lazy: async () => (await import("./requests.tsx")).Requests,
  }),
  communityScreen,
  threadScreen,
  defineScreen({
    pattern: "/signin",
    title: (t) => t("account.signIn"),
    lazy: async () => (await import("./account.tsx")).SignIn,
  }),
  defineScreen({
    pattern: "/register",
    title: (t) => t("account.register"),
    lazy: async () => (await import("./account.tsx")).Register,
  }),
  defineScreen({
    pattern: "/settings",
    title: (t) => t("account.settings"),
    lazy: async () => (await import("./account.tsx")).Settings,
  }),
  defineScreen<Community | null>({
    pattern: "/new",
    // `?parent=ref`: a working group of that community, which the form names.
    load: async ({ api, query }) => {
      const parent = query.get("parent");
      return parent ? api.get<Community>(`/communities/${encodeURIComponent(parent)}`) : null;
    },
    title: (t, parent) => t(parent ? "create.groupTitle" : "create.title"),
    lazy: async () => (await import("./new-community.tsx")).NewCommunity,
  }),
  defineScreen<{ items: Notification[] }>({
    pattern: "/notifications",
    load: ({ api }) => api.get("/notifications?limit=50"),
    title: (t) => t("notifications.title"),
    lazy: async () => (await import("./notifications.tsx")).Notifications,
  }),
];
