/**
 * One partner as the dashboard sees it (GET /api/v1/partners): the registry
 * entry with its station and category names, its latest report and its
 * material-risk alert. One mapping, so the collector's answer and the
 * dashboard's test fixtures cannot drift apart.
 */
import type { ShortageEpisode } from '../loss/types';
import type { PlantConfig } from '../plant';
import type { MaterialRiskAlert, PartnerStatusReport } from './material-risk';
import type { InventoryPolicy, PartnerRegistry } from './registry';

export interface PartnerView {
  id: string;
  name: { zh: string; en: string };
  category: string;
  categoryName: { zh: string; en: string } | null;
  /** 1 supplies the line; 2, 3 supply a supplier. */
  tier: number;
  inDistrict: boolean;
  stations: { line: string; station: string; name: { zh: string; en: string } | null }[];
  inventoryPolicy: InventoryPolicy | null;
  /** Newest report of the last 30 days; null without one. */
  status: (Omit<PartnerStatusReport, 'partner' | 'ts'> & { reportedAt: number }) | null;
  alert: MaterialRiskAlert | null;
  /**
   * Material-shortage episodes of this partner in the window the caller read
   * (GET /api/v1/partners: the last 24 h), newest first. They stay after the
   * status is `ok` again: a shortage is a fact, not a status.
   */
  shortages?: ShortageEpisode[];
}

/** Every registry partner in registry order, with its latest report (by partner id) and alert. */
export function partnerViews(
  registry: Pick<PartnerRegistry, 'partners' | 'categories'>,
  reports: ReadonlyMap<string, PartnerStatusReport>,
  alerts: readonly MaterialRiskAlert[],
  plant: PlantConfig,
  shortages?: readonly ShortageEpisode[],
): PartnerView[] {
  return registry.partners.map((p) => {
    const report = reports.get(p.id);
    return {
      id: p.id,
      name: p.name,
      category: p.category,
      categoryName: registry.categories.find((c) => c.id === p.category)?.name ?? null,
      tier: p.tier,
      inDistrict: p.inDistrict,
      stations: p.stations.map((s) => ({ ...s, name: plant.lines.find((l) => l.id === s.line)?.stations.find((st) => st.id === s.station)?.name ?? null })),
      inventoryPolicy: p.inventoryPolicy ?? null,
      status: report
        ? { reportedAt: report.ts, status: report.status, inventoryHours: report.inventoryHours, onTimeRate: report.onTimeRate, note: report.note }
        : null,
      alert: alerts.find((a) => a.partner === p.id) ?? null,
      ...(shortages ? { shortages: shortages.filter((e) => e.partner === p.id).sort((a, b) => b.starvedFrom - a.starvedFrom) } : {}),
    };
  });
}
