/**
 * Kiosk rotation, configured on the collector (TAKTLINE_KIOSK_FILE, JSON or
 * YAML): named screens, each with a playlist of views and how long each
 * stays. The file is read again whenever it changes on disk, so a change
 * reaches every screen at its next poll, without anybody visiting it.
 *
 *   refreshSeconds: 30          # how often screens ask for their playlist
 *   silentAfterSeconds: 90      # a screen not heard from for this long is silent
 *   staleAfterSeconds: 120      # a screen whose data is older than this is stale
 *   screens:
 *     hall-3:
 *       playlist:
 *         - { view: wall, line: A1, seconds: 60 }
 *         - { view: plant, seconds: 30 }
 */
import { readFile, stat } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { PlantConfig } from '../../core/plant';

/** A screen name: what `/kiosk?screen=` carries and the fleet list shows. */
export const ScreenName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { error: 'a screen name is 1–64 letters, digits, dots, dashes or underscores, e.g. hall-3' });
export type ScreenName = z.infer<typeof ScreenName>;

export const KioskItem = z.discriminatedUnion('view', [
  z.object({ view: z.literal('wall'), line: z.string().min(1).max(64), seconds: z.number().int().min(5).max(86_400), lang: z.enum(['zh-CN', 'en']).optional() }).strict(),
  z.object({ view: z.literal('plant'), seconds: z.number().int().min(5).max(86_400), lang: z.enum(['zh-CN', 'en']).optional() }).strict(),
]);
export type KioskItem = z.infer<typeof KioskItem>;

export const KioskFile = z
  .object({
    refreshSeconds: z.number().int().min(1).max(3600).default(30),
    silentAfterSeconds: z.number().int().min(5).max(86_400).default(90),
    staleAfterSeconds: z.number().int().min(5).max(86_400).default(120),
    screens: z.record(ScreenName, z.object({ playlist: z.array(KioskItem).min(1).max(50) }).strict()).default({}),
  })
  .strict();
export type KioskFile = z.infer<typeof KioskFile>;

/** Settings when no file is configured: no named screens, the fleet's default thresholds. */
export const DEFAULT_KIOSK: KioskFile = { refreshSeconds: 30, silentAfterSeconds: 90, staleAfterSeconds: 120, screens: {} };

/** A kiosk file that cannot be used, with where and why. */
export class KioskFileError extends Error {
  readonly code = 'kiosk_file_invalid';
  constructor(message: string) {
    super(message);
    this.name = 'KioskFileError';
  }
}

/** Parses and checks a kiosk file's text; lines must exist in the plant. */
export function parseKioskFile(text: string, path: string, plant: PlantConfig): KioskFile {
  let raw: unknown;
  try {
    raw = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new KioskFileError(`'${path}' cannot be parsed: ${(error as Error).message}`);
  }
  const parsed = KioskFile.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KioskFileError(`'${path}' at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  const lines = new Set(plant.lines.map((l) => l.id));
  for (const [name, screen] of Object.entries(parsed.data.screens)) {
    for (const item of screen.playlist) {
      if (item.view === 'wall' && !lines.has(item.line)) {
        throw new KioskFileError(`'${path}': screen '${name}' shows line '${item.line}', which the plant does not have (lines: ${[...lines].join(', ')})`);
      }
    }
  }
  return parsed.data;
}

/**
 * The kiosk file as of now: re-read when its modification time changes. A
 * file that turns bad keeps the last good version in force and says why.
 */
export class KioskSource {
  private current: KioskFile = DEFAULT_KIOSK;
  private stamp = '';
  /** Why the file on disk is not in force; null when it is. */
  problem: string | null = null;

  constructor(
    private readonly path: string,
    private readonly plant: PlantConfig,
  ) {}

  /** Loads the file once; throws {@link KioskFileError} when it is unusable at start. */
  async load(): Promise<void> {
    if (!this.path) return;
    await this.get();
    if (this.problem) throw new KioskFileError(this.problem);
  }

  async get(): Promise<KioskFile> {
    if (!this.path) return this.current;
    try {
      const info = await stat(this.path);
      const stamp = `${info.mtimeMs}:${info.size}`;
      if (stamp === this.stamp) return this.current;
      const text = await readFile(this.path, 'utf8');
      this.current = parseKioskFile(text, this.path, this.plant);
      this.stamp = stamp;
      this.problem = null;
    } catch (error) {
      this.problem = error instanceof KioskFileError ? error.message : `cannot read '${this.path}': ${(error as Error).message}`;
    }
    return this.current;
  }
}
