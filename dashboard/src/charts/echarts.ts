/**
 * The only place ECharts is imported: just the charts, components and
 * renderer the dashboard draws with, so the bundle carries no more. The wall
 * uses the line chart, grid and mark line; the manager workspace adds bars
 * (hourly output, Pareto), box plots (cycle times against takt), a custom
 * series (state timelines), the tooltip and the legend.
 */
import { BarChart, BoxplotChart, CustomChart, LineChart, type BarSeriesOption, type BoxplotSeriesOption, type CustomSeriesOption, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type MarkLineComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { init, use, type ComposeOption, type EChartsType } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

use([LineChart, BarChart, BoxplotChart, CustomChart, GridComponent, MarkLineComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

/** Options built only from the registered parts. */
export type ChartOption = ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | BoxplotSeriesOption
  | CustomSeriesOption
  | GridComponentOption
  | MarkLineComponentOption
  | TooltipComponentOption
  | LegendComponentOption
>;

export { init, type EChartsType };
