import type { Community } from "../api.ts";
import type { Analytics } from "./analytics-tables.ts";
import { defineScreen, type LoadContext } from "./table.ts";

export interface AnalyticsData {
  /** Null for the instance's screen. */
  community: Community | null;
  analytics: Analytics;
  /** The API path of the figures, to which `.csv?table=` is added for each table's download. */
  source: string;
}

/** The period asked for, as the API reads it: `?from=&to=`, either left to its default. */
function rangeQuery(query: URLSearchParams): string {
  const range = new URLSearchParams();
  for (const name of ["from", "to"]) {
    const value = query.get(name);
    if (value) range.set(name, value);
  }
  return range.size ? `?${range}` : "";
}

async function loadCommunityAnalytics({ api, params, query }: LoadContext): Promise<AnalyticsData> {
  const community = await api.get<Community>(
    `/communities/${encodeURIComponent(params.ref ?? "")}`,
  );
  const source = `/communities/${encodeURIComponent(community.ref)}/analytics`;
  const analytics = await api.get<Analytics>(`${source}${rangeQuery(query)}`);
  return { community, analytics, source };
}

async function loadInstanceAnalytics({ api, query }: LoadContext): Promise<AnalyticsData> {
  const source = "/admin/analytics";
  return { community: null, analytics: await api.get(`${source}${rangeQuery(query)}`), source };
}

/** A community's analytics, for its admins; the screen and its chart library load only here. */
export const communityAnalyticsScreen = defineScreen<AnalyticsData>({
  pattern: "/c/:ref/analytics",
  load: loadCommunityAnalytics,
  // The server names the screen before its data is loaded (it renders only lazy screens' shell).
  title: (t, data) =>
    data?.community ? t("analytics.title", { name: data.community.name }) : t("analytics.heading"),
  lazy: async () => (await import("./analytics.tsx")).AnalyticsScreen,
});

/** The instance's analytics and every community's figures, for its administrator. */
export const instanceAnalyticsScreen = defineScreen<AnalyticsData>({
  pattern: "/admin/analytics",
  load: loadInstanceAnalytics,
  title: (t) => t("analytics.instanceTitle"),
  lazy: async () => (await import("./analytics.tsx")).AnalyticsScreen,
});
