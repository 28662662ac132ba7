/**
 * The chain-gap view (补链): for every link of the value chain, the partners
 * in and outside the district. A link without a partner in the district is a
 * gap the cluster needs a local supplier for. Pure.
 */
import type { ChainCategory, PartnerConfig } from './registry';

export interface ChainLink {
  category: string;
  name: { zh: string; en: string };
  /** Partner ids producing inside the district. */
  inDistrict: string[];
  /** Partner ids supplying from outside it. */
  outOfDistrict: string[];
  /** No partner in the district: a local supplier is needed. */
  gap: boolean;
}

/** One entry per category, in the registry's order. */
export function chainLinks(categories: readonly ChainCategory[], partners: readonly PartnerConfig[]): ChainLink[] {
  return categories.map((c) => {
    const members = partners.filter((p) => p.category === c.id);
    const inDistrict = members.filter((p) => p.inDistrict).map((p) => p.id);
    return {
      category: c.id,
      name: c.name,
      inDistrict,
      outOfDistrict: members.filter((p) => !p.inDistrict).map((p) => p.id),
      gap: inDistrict.length === 0,
    };
  });
}
