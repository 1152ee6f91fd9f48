// ECharts, tree-shaken: the charts the dashboard and the case review draw, on the canvas
// renderer (no eval, so the CSP stays as it is). The ZH and EN locales are built in.
import { use, init, type ECharts } from "echarts/core";
import { BarChart, LineChart, PieChart, ScatterChart } from "echarts/charts";
import { GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

use([
  BarChart,
  LineChart,
  PieChart,
  ScatterChart,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TooltipComponent,
  CanvasRenderer,
]);

export type { ECharts };
export { init };

/** The dashboard's restrained palette: red, slate, gold, then softer shades. */
export const PALETTE = ["#C8102E", "#4B5563", "#D4A017", "#9CA3AF", "#E57373", "#8D6E63", "#F1C75B"];
