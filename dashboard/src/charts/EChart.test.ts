import { createApp, h, nextTick, ref } from 'vue';
import { describe, expect, it, vi } from 'vitest';
import type { ChartOption } from './echarts';

// The component's whole job is lifecycle: stand in for ECharts and watch what it is told.
const calls: string[] = [];
const fakeChart = {
  setOption: vi.fn((_o: unknown, opts: { notMerge: boolean }) => calls.push(`setOption notMerge=${opts.notMerge}`)),
  resize: vi.fn(() => calls.push('resize')),
  dispose: vi.fn(() => calls.push('dispose')),
};
vi.mock('./echarts', () => ({ init: vi.fn(() => (calls.push('init'), fakeChart)) }));

const { default: EChart } = await import('./EChart.vue');

describe('EChart', () => {
  it('inits on mount, replaces the option on change, and disposes on unmount', async () => {
    const option = ref<ChartOption>({ animation: false, series: [] });
    const root = document.createElement('div');
    const app = createApp({ render: () => h(EChart, { option: option.value }) });
    app.mount(root);
    expect(calls).toEqual(['init', 'setOption notMerge=true']);
    option.value = { animation: false, series: [{ type: 'line', data: [[1, 2]] }] };
    await nextTick();
    expect(calls.at(-1)).toBe('setOption notMerge=true');
    expect(fakeChart.setOption).toHaveBeenLastCalledWith(option.value, { notMerge: true, lazyUpdate: true });
    app.unmount();
    expect(calls.at(-1)).toBe('dispose');
    expect(fakeChart.dispose).toHaveBeenCalledTimes(1);
  });
});
