/**
 * The manager workspace's extra ECharts parts: bars (hourly output, Pareto,
 * the loss waterfall as stacked bars on an invisible base, bottleneck
 * shares), box plots (cycle times against takt), a custom series (state and
 * bottleneck timelines),
 * the tooltip and the legend. Imported only by the manager view, before its
 * charts mount, so the wall's bundle stays as small as its one line chart.
 */
import { BarChart, BoxplotChart, CustomChart } from 'echarts/charts';
import { LegendComponent, TooltipComponent } from 'echarts/components';
import { use } from 'echarts/core';

use([BarChart, BoxplotChart, CustomChart, TooltipComponent, LegendComponent]);
