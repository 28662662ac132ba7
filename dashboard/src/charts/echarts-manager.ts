/**
 * The manager workspace's extra ECharts parts: bars (hourly output, Pareto),
 * box plots (cycle times against takt), a custom series (state timelines),
 * the tooltip and the legend. Imported only by the manager view, before its
 * charts mount, so the wall's bundle stays as small as its one line chart.
 */
import { BarChart, BoxplotChart, CustomChart } from 'echarts/charts';
import { LegendComponent, TooltipComponent } from 'echarts/components';
import { use } from 'echarts/core';

use([BarChart, BoxplotChart, CustomChart, TooltipComponent, LegendComponent]);
