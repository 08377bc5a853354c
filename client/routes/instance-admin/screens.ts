import { defineScreen } from "../table.ts";

/*
 * The instance administrator's screens, each downloaded when first opened. Each loads from an
 * administrator-only API, so anyone else gets that API's refusal instead of the screen.
 */

export const instanceAdminScreens = [
  defineScreen({
    pattern: "/admin",
    load: async (context) => (await import("./overview.tsx")).loadOverview(context),
    title: (t) => t("instanceAdmin.title"),
    lazy: async () => (await import("./overview.tsx")).Overview,
  }),
  defineScreen({
    pattern: "/admin/accounts",
    load: async (context) => (await import("./registrations.tsx")).loadRegistrations(context),
    title: (t) => t("instanceAdmin.registrations.title"),
    lazy: async () => (await import("./registrations.tsx")).Registrations,
  }),
  defineScreen({
    pattern: "/admin/invitations",
    load: async (context) => (await import("./invitations.tsx")).loadInvitations(context),
    title: (t) => t("instanceAdmin.invitations.title"),
    lazy: async () => (await import("./invitations.tsx")).Invitations,
  }),
  defineScreen({
    pattern: "/admin/domain-blocks",
    load: async (context) => (await import("./domain-blocks.tsx")).loadDomainBlocks(context),
    title: (t) => t("instanceAdmin.domains.title"),
    lazy: async () => (await import("./domain-blocks.tsx")).DomainBlocks,
  }),
  defineScreen({
    pattern: "/admin/instance",
    // GET /instance is public: the overview's administrator-only call refuses anyone else first.
    load: async (context) => {
      await (await import("./overview.tsx")).loadOverview(context);
      return context.api.get("/instance");
    },
    title: (t) => t("instanceAdmin.settings.title"),
    lazy: async () => (await import("./instance-settings.tsx")).InstanceSettingsForm,
  }),
  defineScreen({
    pattern: "/admin/audit",
    load: async (context) => (await import("./audit.tsx")).loadInstanceAudit(context),
    title: (t) => t("instanceAdmin.audit.title"),
    lazy: async () => (await import("./audit.tsx")).InstanceAudit,
  }),
  defineScreen({
    pattern: "/admin/communities",
    load: async (context) => (await import("./communities.tsx")).loadCommunities(context),
    title: (t) => t("instanceAdmin.communities.title"),
    lazy: async () => (await import("./communities.tsx")).HostedCommunities,
  }),
];
