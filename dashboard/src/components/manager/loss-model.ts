/**
 * What the loss section shows, derived from a report: the top losses with
 * their share of the gap to plan, the episodes behind a waterfall bar, and
 * an alert's lead time before a shortage starved its station. Pure, so the
 * components stay layout and every rule is tested without a browser.
 */
import type { LossCause, LossEpisode, LossReport } from '@core/loss/types';

/** One of the largest losses: its place in the report, units, and share of all units lost. */
export interface TopLoss {
  index: number;
  cause: LossCause;
  units: number;
  seconds: number;
  /**
   * units ÷ the units of every loss (terms above zero). Not ÷ (plan − good):
   * a gain (buffers drained) shrinks the gap, and a share of it could pass 100 %.
   */
  shareOfLosses: number;
}

/** Units short of plan: plan − good units (the waterfall's total). */
export function gapToPlan(report: Pick<LossReport, 'planUnits' | 'goodUnits'>): number {
  return report.planUnits - report.goodUnits;
}

/** The `n` largest losses that cost units (gains and empty terms are no one's to fix), largest first. */
export function topLosses(report: LossReport, n = 3): TopLoss[] {
  const lost = report.losses.reduce((s, t) => s + Math.max(0, t.units), 0);
  return report.losses
    .map((t, index) => ({ index, cause: t.cause, units: t.units, seconds: t.seconds, shareOfLosses: lost > 0 ? t.units / lost : 0 }))
    .filter((t) => t.units > 0)
    .sort((a, b) => b.units - a.units)
    .slice(0, n);
}

/**
 * Each term's label, made unique: two terms that read the same ("S05 维护"
 * twice, for two reasons) get their reason appended.
 */
export function termLabels(
  losses: readonly { cause: LossCause }[],
  labelOf: (cause: LossCause) => string,
  reasonOf: (reason: string) => string = (r) => r,
): string[] {
  const labels = losses.map((t) => labelOf(t.cause));
  const count = new Map<string, number>();
  for (const l of labels) count.set(l, (count.get(l) ?? 0) + 1);
  return labels.map((l, i) => {
    const reason = losses[i]?.cause.reason;
    return (count.get(l) ?? 0) > 1 && reason ? `${l} · ${reasonOf(reason)}` : l;
  });
}

/** The reason texts the simulator's stations send (English), in Chinese; anything else a station sent stays its own words. */
const SIMULATOR_REASONS_ZH: readonly [RegExp, (m: RegExpExecArray) => string][] = [
  [/^breakdown$/, () => '故障停机'],
  [/^breakdown, waiting for a repair crew$/, () => '故障，等待维修班组'],
  [/^changeover (\S+) to (\S+)$/, (m) => `换型 ${m[1]} → ${m[2]}`],
  [/^waiting for parts from (\S+)$/, (m) => `等待 ${m[1]} 的物料`],
  [/^waiting for the next launch slot$/, () => '等待下一个投产节拍'],
];

/** A stop's reason as the page's language shows it. */
export function reasonText(reason: string, locale: 'zh-CN' | 'en'): string {
  if (locale !== 'zh-CN') return reason;
  for (const [re, zh] of SIMULATOR_REASONS_ZH) {
    const m = re.exec(reason);
    if (m) return zh(m);
  }
  return reason;
}

/** The reason line under a loss, or null when it only repeats the label (a partner's shortage names the partner already). */
export function reasonLine(cause: LossCause, locale: 'zh-CN' | 'en'): string | null {
  const reason = cause.reason;
  if (reason === undefined || reason === '') return null;
  if (cause.partner !== undefined && reason.includes(cause.partner)) return null;
  return reasonText(reason, locale);
}

/** An episode with the term it belongs to, for a table that may list several terms. */
export interface EpisodeRow extends LossEpisode {
  term: number;
  cause: LossCause;
}

/** The episodes behind the terms `terms` (one waterfall bar), largest first. */
export function episodesOf(report: LossReport, terms: readonly number[]): EpisodeRow[] {
  return terms
    .flatMap((term) => {
      const t = report.losses[term];
      return t ? t.episodes.map((e) => ({ ...e, term, cause: t.cause })) : [];
    })
    .sort((a, b) => b.units - a.units || a.from - b.from);
}

/** Seconds the material-risk alert came before the station starved; null without an alert. Negative: the alert came late. */
export function alertLeadSeconds(shortage: { alertAt: number | null; starvedFrom: number }): number | null {
  return shortage.alertAt === null ? null : (shortage.starvedFrom - shortage.alertAt) / 1000;
}
