/**
 * The wall's chime for a new call: two short tones from the Web Audio API, no
 * sound file to fetch. Vue-free; the AudioContext constructor is injected.
 *
 * Browsers start audio suspended until the page gets a user gesture
 * (Chromium's autoplay policy). A kiosk therefore needs either one tap or key
 * press on the screen after it loads, or Chromium started with
 * `--autoplay-policy=no-user-gesture-required`. {@link Chime.blocked} says
 * which state it is in, so the wall can ask for the tap.
 */

/** The part of AudioContext the chime uses. */
export interface AudioContextLike {
  readonly state: string;
  readonly currentTime: number;
  readonly destination: unknown;
  resume(): Promise<void>;
  createOscillator(): { type: string; frequency: { value: number }; connect(n: unknown): unknown; start(at: number): void; stop(at: number): void };
  createGain(): { gain: { setValueAtTime(v: number, t: number): unknown; exponentialRampToValueAtTime(v: number, t: number): unknown }; connect(n: unknown): unknown };
}

export interface Chime {
  /** Plays the chime; nothing when audio is still blocked. */
  ring(): void;
  /** Tries to start audio (call it from a user gesture). */
  unlock(): Promise<void>;
  /** True while the browser holds audio back for want of a gesture. */
  readonly blocked: boolean;
}

/** Tones of the chime: frequency (Hz) and length (s), played one after the other. */
const TONES: readonly [number, number][] = [
  [880, 0.18],
  [660, 0.28],
];

export function createChime(AudioContextCtor: new () => AudioContextLike): Chime {
  let ctx: AudioContextLike | null = null;
  const context = (): AudioContextLike => (ctx ??= new AudioContextCtor());
  return {
    ring() {
      const c = context();
      if (c.state !== 'running') {
        void c.resume().catch(() => undefined); // allowed when the browser flag is set
        if (c.state !== 'running') return;
      }
      let t = c.currentTime;
      for (const [freq, len] of TONES) {
        const osc = c.createOscillator();
        const gain = c.createGain();
        osc.type = 'sine';
        osc.frequency.value = freq;
        gain.gain.setValueAtTime(0.4, t);
        gain.gain.exponentialRampToValueAtTime(0.001, t + len);
        osc.connect(gain);
        gain.connect(c.destination);
        osc.start(t);
        osc.stop(t + len);
        t += len;
      }
    },
    async unlock() {
      await context().resume().catch(() => undefined);
    },
    get blocked() {
      return context().state !== 'running';
    },
  };
}
