/**
 * What the station tablet offers first for a stop (docs/reasons.md): the
 * station-sent reason when it names a code of the tree (or a reason's label,
 * in either language, ignoring case), then the reasons of loss accounting's
 * inferred category (starved for P-BATT-01's parts → material), then those
 * of the category the stop's state points at (a fault → machine). Pure.
 */
import type { ReasonsConfig } from './config';
import type { StopRecord, StopState } from './stops';

export interface ReasonSuggestion {
  code: string;
  /** `station`: the station sent it; `inferred`: loss accounting's category; `state`: the stop's state. */
  source: 'station' | 'inferred' | 'state';
}

/** The category a stop's state most often belongs to, when the tree has it. */
export const STATE_CATEGORY: Readonly<Record<StopState, string>> = {
  fault: 'machine',
  maintenance: 'machine',
  starved: 'material',
  blocked: 'method',
  idle: 'people',
};

/** At most `limit` suggestions for `stop`, the most likely first, each code once. */
export function suggestReasons(stop: Pick<StopRecord, 'state' | 'stationReason' | 'inferred' | 'current'>, tree: ReasonsConfig, limit = 3): ReasonSuggestion[] {
  const out: ReasonSuggestion[] = [];
  const add = (code: string, source: ReasonSuggestion['source']) => {
    if (out.length < limit && !out.some((s) => s.code === code)) out.push({ code, source });
  };
  if (stop.current?.source === 'station') for (const p of stop.current.parts) add(p.reason, 'station');
  const sent = stop.stationReason?.trim().toLowerCase();
  if (sent) {
    const match = tree.reasons.find((r) => r.code.toLowerCase() === sent || r.label.zh.toLowerCase() === sent || r.label.en.toLowerCase() === sent);
    if (match) add(match.code, 'station');
  }
  if (stop.inferred) for (const r of tree.reasons) if (r.category === stop.inferred.category) add(r.code, 'inferred');
  const byState = STATE_CATEGORY[stop.state];
  for (const r of tree.reasons) if (r.category === byState) add(r.code, 'state');
  return out;
}
