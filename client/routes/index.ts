import type { Community, EmailAddresses, Instance } from "../api.ts";
import { communityAnalyticsScreen, instanceAnalyticsScreen } from "./analytics-screens.ts";
import { communityScreen } from "./community.tsx";
import { communitySettingsScreen } from "./community-settings.tsx";
import { directoryScreen } from "./directory.tsx";
import { ForgotPassword } from "./forgot-password.tsx";
import { instanceAdminScreens } from "./instance-admin/screens.ts";
import { invitationScreen } from "./invitation.tsx";
import { messagesScreens } from "./messages.tsx";
import { peopleScreen } from "./people.tsx";
import { profileScreen } from "./profile.tsx";
import { searchScreen } from "./search.tsx";
import { Register, SignIn } from "./sign-in.tsx";
import { defineScreen, type Screen } from "./table.ts";
import { threadScreen } from "./thread.tsx";

/** Every screen, the most specific patterns first. */
export const screens: Screen[] = [
  directoryScreen,
  defineScreen({
    pattern: "/c/:ref/requests",
    load: async (context) => (await import("./requests.tsx")).loadRequests(context),
    title: (t) => t("admin.requests"),
    lazy: async () => (await import("./requests.tsx")).Requests,
  }),
  defineScreen({
    pattern: "/c/:ref/reports",
    load: async (context) => (await import("./reports.tsx")).loadCommunityReports(context),
    title: (t) => t("report.queue"),
    lazy: async () => (await import("./reports.tsx")).ReportQueue,
  }),
  defineScreen({
    pattern: "/admin/reports",
    load: async (context) => (await import("./reports.tsx")).loadInstanceReports(context),
    title: (t) => t("report.queue"),
    lazy: async () => (await import("./reports.tsx")).ReportQueue,
  }),
  defineScreen({
    pattern: "/c/:ref/questions",
    load: async (context) => (await import("./questions.tsx")).loadQuestions(context),
    title: (t) => t("questions.title"),
    lazy: async () => (await import("./questions.tsx")).Questions,
    // Asking, handing on and answering are plain forms.
    drawnOnServer: true,
  }),
  communitySettingsScreen,
  communityAnalyticsScreen,
  instanceAnalyticsScreen,
  ...instanceAdminScreens,
  communityScreen,
  threadScreen,
  searchScreen,
  peopleScreen,
  profileScreen,
  invitationScreen,
  ...messagesScreens,
  // In the first bundle and drawn on the server: all three work as plain forms without scripts.
  defineScreen({ pattern: "/signin", title: (t) => t("account.signIn"), view: SignIn }),
  defineScreen({
    pattern: "/forgot-password",
    title: (t) => t("account.forgotTitle"),
    view: ForgotPassword,
  }),
  defineScreen<Instance>({
    pattern: "/register",
    // The instance's rules, shown above the form.
    load: ({ api }) => api.get<Instance>("/instance"),
    title: (t) => t("account.register"),
    view: Register,
  }),
  defineScreen<EmailAddresses | null>({
    pattern: "/settings",
    load: ({ api, me }) => (me ? api.get<EmailAddresses>("/me/email") : Promise.resolve(null)),
    title: (t) => t("account.settings"),
    lazy: async () => (await import("./account.tsx")).Settings,
    // Every form on it is a plain post too (server/pages/settings-forms.ts).
    drawnOnServer: true,
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
  defineScreen({
    pattern: "/notifications",
    load: async (context) => (await import("./notifications.tsx")).loadNotifications(context),
    title: (t) => t("notifications.title"),
    lazy: async () => (await import("./notifications.tsx")).Notifications,
  }),
  defineScreen({
    pattern: "/my-communities",
    load: async (context) => (await import("./my-communities.tsx")).loadMyCommunities(context),
    title: (t) => t("mine.title"),
    lazy: async () => (await import("./my-communities.tsx")).MyCommunities,
  }),
];
