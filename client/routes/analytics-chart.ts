import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

/*
 * The charts of the analytics screens, with uPlot: a small canvas chart for time series
 * (about 20 KB compressed), imported only once an analytics screen draws, so no other page
 * ever loads it.
 */

export interface ChartSeries {
  label: string;
  values: number[];
}

/** Colours told apart by people with the common colour blindnesses (Okabe and Ito's palette). */
const colours = ["#0072B2", "#D55E00", "#009E73", "#CC79A7"];

/** Draws `series` over `periods` (ISO dates or months) into `container`; answers how to remove it. */
export function drawChart(
  container: HTMLElement,
  periods: string[],
  series: ChartSeries[],
): () => void {
  const plot = new uPlot(
    {
      width: Math.max(280, container.clientWidth),
      height: 240,
      scales: { x: { time: true } },
      series: [
        {},
        ...series.map((each, index) => ({
          label: each.label,
          stroke: colours[index % colours.length] ?? "#0072B2",
          width: 2,
        })),
      ],
    },
    [periods.map((period) => Date.parse(period) / 1000), ...series.map((each) => each.values)],
    container,
  );
  return () => plot.destroy();
}
