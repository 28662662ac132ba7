/**
 * The only place ECharts is imported from (with echarts-manager.ts): just
 * the charts, components and renderer the dashboard draws with, so the
 * bundle carries no more. The wall needs the line chart, grid, mark line and
 * canvas renderer, registered here; the manager workspace's extra parts are
 * registered by echarts-manager.ts, which only that view loads, so a wall
 * screen never downloads them. The option type covers both.
 */
import type { BarSeriesOption, BoxplotSeriesOption, CustomSeriesOption, LineSeriesOption } from 'echarts/charts';
import { LineChart } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, MarkLineComponentOption, TooltipComponentOption } from 'echarts/components';
import { GridComponent, MarkLineComponent } from 'echarts/components';
import { init, use, type ComposeOption, type EChartsType } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

use([LineChart, GridComponent, MarkLineComponent, CanvasRenderer]);

/** Options built from the registered parts (bars, box plots, custom series, tooltip and legend need echarts-manager.ts). */
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
