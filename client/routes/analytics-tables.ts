import type { TFunction } from "i18next";
import type { Breakdown } from "../../server/services/analytics/k-anonymity.ts";
import type { Analytics } from "../../server/services/analytics/queries.ts";

export type { Analytics };

type Cell = string | number;

/**
 * A table of the analytics screens, as the screen shows it and as its CSV download holds it:
 * one definition for both, so the file always reads as the screen does.
 */
export interface AnalyticsTable {
  name: string;
  /** Keys under `analytics.columns`, in order. */
  columns: string[];
  rows(analytics: Analytics, t: TFunction): Cell[][];
}

function breakdownRows(breakdown: Breakdown, t: TFunction): Cell[][] {
  const rows: Cell[][] = breakdown.groups.map((group) => [
    group.group || t("analytics.notGiven"),
    group.members,
    group.activeMembers,
  ]);
  if (breakdown.other) {
    rows.push([t("analytics.otherGroups"), breakdown.other.members, breakdown.other.activeMembers]);
  }
  return rows;
}

export const analyticsTables: AnalyticsTable[] = [
  {
    name: "weekly",
    columns: ["week", "views", "downloads", "joined", "left"],
    rows: (a) => a.weekly.map((w) => [w.week, w.views, w.downloads, w.joined, w.left]),
  },
  {
    name: "monthly",
    columns: ["month", "posts", "comments"],
    rows: (a) => a.monthly.map((m) => [m.month, m.posts, m.comments]),
  },
  {
    name: "countries",
    columns: ["country", "members", "activeMembers"],
    rows: (a, t) => breakdownRows(a.countries, t),
  },
  {
    name: "professions",
    columns: ["profession", "members", "activeMembers"],
    rows: (a, t) => breakdownRows(a.professions, t),
  },
  {
    name: "pending",
    columns: ["waiting", "requests"],
    rows: (a, t) => a.pendingAges.map((age) => [t(`analytics.ages.${age.bucket}`), age.requests]),
  },
  {
    name: "items",
    columns: ["title", "kind", "views", "downloads"],
    rows: (a, t) =>
      (a.items ?? []).map((item) => [
        item.title,
        t(`analytics.kinds.${item.kind}`),
        item.views,
        item.downloads,
      ]),
  },
  {
    name: "communities",
    columns: ["community", "members", "activeMembers", "views", "downloads", "requests"],
    rows: (a) =>
      (a.communities ?? []).map((c) => [
        c.name,
        c.members,
        c.activeMembers,
        c.views,
        c.downloads,
        c.pendingRequests,
      ]),
  },
  {
    name: "partners",
    columns: ["community", "server", "views", "downloads", "joined", "activeMembers"],
    rows: (a) =>
      (a.partners ?? []).map((p) => [
        p.name,
        p.server,
        p.views,
        p.downloads,
        p.joins,
        p.activeMembers,
      ]),
  },
];

/**
 * The tables a scope has: a community lists its items, the instance its communities and
 * those of its partners that share their counts.
 */
export function tablesFor(scope: "community" | "instance"): AnalyticsTable[] {
  const skipped = scope === "community" ? ["communities", "partners"] : ["items"];
  return analyticsTables.filter((table) => !skipped.includes(table.name));
}
