/**
 * A station state's Chinese name, the one every screen uses: the wall's tiles,
 * the manager workspace, the loss causes, the review and the plant cards
 * (docs/dashboard.md). They had drifted apart (缺料 on the wall, 待料 in the
 * loss causes), so the catalogues take them from here. English stays per
 * catalogue: a wall tile abbreviates (Maint.), a cause reads lower-case.
 */
import type { StationState } from '@core/events';

export const STATE_LABEL_ZH: Readonly<Record<StationState, string>> = {
  running: '运行',
  idle: '空闲',
  starved: '待料',
  blocked: '堵料',
  fault: '故障',
  maintenance: '维护',
  offline: '离线',
};
