/**
 * OEE (Nakajima / ISO 22400) as DESIGN.md defines it, over planned production
 * time P from the calendar:
 *   A = (P − downtime) / P, downtime = `fault` or `maintenance` time of the constraint station inside P
 *   performance = ideal takt × units / (P − downtime)
 *   quality = good units / units
 *   OEE = A × performance × quality  (= ideal takt × good units / P)
 */

/** What OEE is computed from; carried in the result so a screen can show the arithmetic. */
export interface OeeInputs {
  /** Planned production time elapsed in the interval, seconds. */
  plannedSeconds: number;
  /** Constraint-station downtime inside planned time, seconds. */
  downtimeSeconds: number;
  /** Seconds per unit at the ideal rate. */
  idealTaktSeconds: number;
  units: number;
  goodUnits: number;
  constraintStation: string | null;
  /** `configured`: given by the caller; `detected`: the bottleneck; `none`: no station data (downtime 0). */
  constraintSource: 'configured' | 'detected' | 'none';
}

export interface OeeResult extends OeeInputs {
  /** P − downtime, seconds. */
  operatingSeconds: number;
  /** Fractions 0–1 (performance may exceed 1 if the ideal takt is set too slow); null when undefined. */
  availability: number | null;
  performance: number | null;
  quality: number | null;
  oee: number | null;
  /**
   * Why performance is above 100 % when it is (never silently): more units than
   * the operating time allows at the ideal takt. Set whenever performance > 1.
   */
  performanceWhy?: { zh: string; en: string };
}

/** The reason a performance above 100 % is shown with. */
export const PERFORMANCE_ABOVE_100_WHY = {
  zh: '性能开动率超过 100%：下线数量多于开动时间按理想节拍所能产出的数量——瓶颈之后的缓冲区在消化此前积压的在制品（例如故障后追产），或理想节拍设得比产线实际更慢。',
  en: 'Performance above 100 %: more units left the line than the operating time allows at the ideal takt — buffers after the constraint drained work in progress built earlier (catching up after a stop), or the ideal takt is set slower than the line runs.',
} as const;

/**
 * OEE from its inputs. P = 0: everything null. No units: quality null,
 * performance 0, OEE 0. Down the whole time: performance null, OEE 0.
 */
export function computeOee(inputs: OeeInputs): OeeResult {
  const P = inputs.plannedSeconds;
  const downtime = Math.min(Math.max(0, inputs.downtimeSeconds), Math.max(0, P));
  const operatingSeconds = Math.max(0, P - downtime);
  if (!(P > 0)) {
    return { ...inputs, downtimeSeconds: downtime, operatingSeconds, availability: null, performance: null, quality: null, oee: null };
  }
  const availability = operatingSeconds / P;
  const performance = operatingSeconds > 0 ? (inputs.idealTaktSeconds * inputs.units) / operatingSeconds : null;
  const quality = inputs.units > 0 ? inputs.goodUnits / inputs.units : null;
  let oee: number;
  if (inputs.units === 0 || operatingSeconds === 0) oee = 0;
  else oee = availability * (performance as number) * (quality as number);
  const result: OeeResult = { ...inputs, downtimeSeconds: downtime, operatingSeconds, availability, performance, quality, oee };
  if (performance !== null && performance > 1) result.performanceWhy = { ...PERFORMANCE_ABOVE_100_WHY };
  return result;
}
