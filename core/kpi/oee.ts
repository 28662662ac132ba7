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
}

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
  return { ...inputs, downtimeSeconds: downtime, operatingSeconds, availability, performance, quality, oee };
}
