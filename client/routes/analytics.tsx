import type { TFunction } from "i18next";
import { useEffect, useRef } from "preact/hooks";
import { useShell } from "../context.ts";
import type { AnalyticsData } from "./analytics-screens.ts";
import { type Analytics, type AnalyticsTable, tablesFor } from "./analytics-tables.ts";
import type { ViewProps } from "./table.ts";
import "./analytics.css";
import { BackLink } from "../components/back-link.tsx";

type ChartName = "weekly" | "monthly";

/** What each chart draws: its periods and its lines. */
function chartData(name: ChartName, analytics: Analytics, t: TFunction) {
  if (name === "weekly") {
    return {
      periods: analytics.weekly.map((week) => week.week),
      series: [
        { label: t("analytics.columns.views"), values: analytics.weekly.map((week) => week.views) },
        {
          label: t("analytics.columns.downloads"),
          values: analytics.weekly.map((week) => week.downloads),
        },
      ],
    };
  }
  return {
    periods: analytics.monthly.map((month) => month.month),
    series: [
      {
        label: t("analytics.columns.posts"),
        values: analytics.monthly.map((month) => month.posts),
      },
      {
        label: t("analytics.columns.comments"),
        values: analytics.monthly.map((month) => month.comments),
      },
    ],
  };
}

/**
 * A chart, drawn once the chart library has loaded; its figures are in the table below it
 * too, which is what assistive technology reads.
 */
function Chart({ name, analytics }: { name: ChartName; analytics: Analytics }) {
  const { t } = useShell();
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let remove: (() => void) | undefined;
    let gone = false;
    void import("./analytics-chart.ts").then(({ drawChart }) => {
      const { periods, series } = chartData(name, analytics, t);
      if (!gone && container.current) remove = drawChart(container.current, periods, series);
    });
    return () => {
      gone = true;
      remove?.();
    };
  }, [name, analytics, t]);
  const caption = t(`analytics.charts.${name}`);
  return (
    <figure class="panel">
      <figcaption>{caption}</figcaption>
      <div ref={container} class="chart" role="img" aria-label={caption} />
    </figure>
  );
}

function TableView({
  table,
  analytics,
  csv,
}: {
  table: AnalyticsTable;
  analytics: Analytics;
  csv: string;
}) {
  const { t, locale } = useShell();
  const number = new Intl.NumberFormat(locale);
  const rows = table.rows(analytics, t);
  return (
    <section class="panel" aria-labelledby={`table-${table.name}`}>
      <h2 id={`table-${table.name}`}>{t(`analytics.tables.${table.name}`)}</h2>
      {rows.length === 0 ? (
        <p>{t("analytics.empty")}</p>
      ) : (
        <table>
          <thead>
            <tr>
              {table.columns.map((column) => (
                <th scope="col" key={column}>
                  {t(`analytics.columns.${column}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={index}>
                {row.map((cell, column) => (
                  <td key={column}>{typeof cell === "number" ? number.format(cell) : cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <a href={csv} download>
          {t("analytics.downloadCsv")}
        </a>
      </p>
    </section>
  );
}

const totals = [
  "members",
  "activeMembers",
  "views",
  "downloads",
  "posts",
  "comments",
  "pendingRequests",
] as const;

/** A community's or the instance's figures: totals, two charts and every table with its CSV. */
export function AnalyticsScreen({ data }: ViewProps<AnalyticsData>) {
  const { t, locale } = useShell();
  const { community, analytics, source } = data;
  const { from, to } = analytics.range;
  const number = new Intl.NumberFormat(locale);
  const csvOf = (table: AnalyticsTable) =>
    `/api/v1${source}.csv?${new URLSearchParams({ table: table.name, from, to })}`;
  return (
    <div class="analytics">
      {community ? <BackLink href={`/c/${community.ref}`}>{community.name}</BackLink> : null}
      <h1>
        {community ? t("analytics.title", { name: community.name }) : t("analytics.instanceTitle")}
      </h1>
      <p>{t("analytics.privacy")}</p>
      <form method="get" class="panel">
        <label for="analytics-from">{t("analytics.from")}</label>
        <input id="analytics-from" name="from" type="date" value={from} max={to} />
        <label for="analytics-to">{t("analytics.to")}</label>
        <input id="analytics-to" name="to" type="date" value={to} min={from} />
        <button type="submit">{t("analytics.show")}</button>
      </form>
      <dl class="panel analytics-totals">
        {totals.map((total) => (
          <div key={total}>
            <dt>{t(`analytics.totals.${total}`)}</dt>
            <dd>{number.format(analytics.totals[total])}</dd>
          </div>
        ))}
      </dl>
      <Chart name="weekly" analytics={analytics} />
      <Chart name="monthly" analytics={analytics} />
      {tablesFor(community ? "community" : "instance").map((table) => (
        <TableView key={table.name} table={table} analytics={analytics} csv={csvOf(table)} />
      ))}
    </div>
  );
}
