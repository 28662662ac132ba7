/**
 * The only place ECharts is imported: just the line chart, the grid, the
 * target mark line and the canvas renderer, so the bundle carries no more.
 */
import { LineChart, type LineSeriesOption } from 'echarts/charts';
import { GridComponent, MarkLineComponent, type GridComponentOption, type MarkLineComponentOption } from 'echarts/components';
import { init, use, type ComposeOption, type EChartsType } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

use([LineChart, GridComponent, MarkLineComponent, CanvasRenderer]);

/** Options built only from the registered parts. */
export type ChartOption = ComposeOption<LineSeriesOption | GridComponentOption | MarkLineComponentOption>;

export { init, type EChartsType };
