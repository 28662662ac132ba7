/** Samplers for the time distributions of a scenario, drawing from one station's streams. */
import type { RandomStream } from '../engine/random';
import type { CycleSpec, FailureSpec } from './scenario';

/** Draws one cycle time, seconds (> 0). */
export function cycleSampler(spec: CycleSpec, rng: RandomStream): () => number {
  switch (spec.kind) {
    case 'fixed':
      return () => spec.seconds;
    case 'normal': {
      // Truncated below at 10 % of the mean: a station never finishes in no time.
      const floor = 0.1 * spec.meanSeconds;
      const sd = spec.cv * spec.meanSeconds;
      return () => {
        for (let i = 0; i < 100; i += 1) {
          const x = spec.meanSeconds + sd * rng.standardNormal();
          if (x >= floor) return x;
        }
        return floor;
      };
    }
    case 'lognormal':
      return spec.cv === 0 ? () => spec.meanSeconds : () => rng.lognormal(spec.meanSeconds, spec.cv);
    case 'empirical': {
      const samples = spec.samplesSeconds;
      return () => samples[rng.index(samples.length)] as number;
    }
  }
}

/** The design mean of a cycle-time distribution, seconds. */
export function cycleMean(spec: CycleSpec): number {
  switch (spec.kind) {
    case 'fixed':
      return spec.seconds;
    case 'normal':
    case 'lognormal':
      return spec.meanSeconds;
    case 'empirical':
      return spec.samplesSeconds.reduce((a, b) => a + b, 0) / spec.samplesSeconds.length;
  }
}

/** Draws one repair time, seconds. */
export function repairSampler(spec: FailureSpec, rng: RandomStream): () => number {
  switch (spec.repair) {
    case 'fixed':
      return () => spec.mttrSeconds;
    case 'lognormal':
      return () => rng.lognormal(spec.mttrSeconds, spec.repairCv);
    case 'exponential':
      return () => rng.exponential(spec.mttrSeconds);
  }
}
