/**
 * A stop reason as people read it: what a station sent (`breakdown`,
 * `waiting for parts from P-BATT-01`) read as one of the plant's reason-tree
 * codes, with the tree's label in both languages. One reading for the wall,
 * the report and the manager's pages.
 */
import type { ReasonsConfig } from './config';

/** A stop reason as a station sent it (or a classification's code) and its label in both languages. */
export interface ReasonLabel {
  reason: string;
  /** The tree's code it was read as. */
  code: string;
  label: { zh: string; en: string };
}

/**
 * Reads a station's reason as one of the tree's codes: the code itself
 * (`breakdown`), a code at its start (`breakdown, waiting for a repair crew`,
 * `changeover M1 to M2`), or a partner's material (`waiting for parts from
 * P-BATT-01`, the shortage reason, labelled with the partner). Null when the
 * text names no code: it is then shown as sent.
 */
export function labelReason(reason: string, tree: ReasonsConfig, partnerOf: (reason: string) => string | null): ReasonLabel | null {
  const text = reason.trim().toLowerCase();
  const byCode = (code: string) => tree.reasons.find((r) => r.code.toLowerCase() === code);
  const exact = byCode(text);
  if (exact) return { reason, code: exact.code, label: exact.label };
  const partner = partnerOf(reason);
  const shortage = tree.reasons.find((r) => r.category === 'material' && /shortage/.test(r.code)) ?? tree.reasons.find((r) => r.category === 'material');
  if (partner !== null && shortage) return { reason, code: shortage.code, label: { zh: `${shortage.label.zh} ${partner}`, en: `${shortage.label.en} ${partner}` } };
  const lead = tree.reasons.find((r) => [' ', ',', ':', ';'].some((sep) => text.startsWith(`${r.code.toLowerCase()}${sep}`)));
  return lead ? { reason, code: lead.code, label: lead.label } : null;
}
