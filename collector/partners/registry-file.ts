/**
 * Where the partner registry lives: the admin API's copy in the data dir
 * (`<TAKTLINE_DATA_DIR>/partners.json`, written atomically) wins over the
 * operator's file (`TAKTLINE_PARTNERS_FILE`, JSON or YAML), which wins over
 * the built-in demo registry.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { referencePartnerRegistry } from '../../core/cluster/reference';
import { parseRegistry, registryPlantIssues, type PartnerRegistry, type RegistryIssue } from '../../core/cluster/registry';
import type { PlantConfig } from '../../core/plant';

export type RegistrySource = 'admin' | 'file' | 'default';

/** File name of the admin API's copy inside the data dir. */
export const ADMIN_REGISTRY_FILE = 'partners.json';

/** A registry file that cannot be used; `message` names the file and the field. */
export class PartnerRegistryError extends Error {
  readonly code = 'partner_registry_invalid';
  constructor(
    message: string,
    readonly issues: RegistryIssue[] = [],
  ) {
    super(message);
    this.name = 'PartnerRegistryError';
  }
}

/** Validates a decoded registry against its schema and the plant; the issues name the field. */
export function checkRegistry(raw: unknown, plant: PlantConfig): { ok: true; registry: PartnerRegistry } | { ok: false; issues: RegistryIssue[] } {
  const parsed = parseRegistry(raw);
  if (!parsed.ok) return parsed;
  const issues = registryPlantIssues(parsed.registry, plant);
  return issues.length > 0 ? { ok: false, issues } : parsed;
}

/** Reads and validates a registry file (JSON, or YAML by extension); throws {@link PartnerRegistryError}. */
export function readRegistryFile(path: string, plant: PlantConfig): PartnerRegistry {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PartnerRegistryError(`cannot read '${path}': ${(error as Error).message}`);
  }
  const yaml = /\.ya?ml$/i.test(path);
  let raw: unknown;
  try {
    raw = yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new PartnerRegistryError(`'${path}' is not valid ${yaml ? 'YAML' : 'JSON'}: ${(error as Error).message}`);
  }
  const checked = checkRegistry(raw, plant);
  if (!checked.ok) {
    const first = checked.issues[0];
    throw new PartnerRegistryError(`'${path}' at ${first?.path ?? '(root)'}: ${first?.message ?? 'invalid'}`, checked.issues);
  }
  return checked.registry;
}

export interface LoadedRegistry {
  registry: PartnerRegistry;
  source: RegistrySource;
  /** The file it came from; null for the built-in registry. */
  path: string | null;
}

/**
 * The registry in force at start. An unreadable admin copy is reported and
 * skipped (the operator's file or the default still work); an invalid
 * operator file throws, as configuration errors do.
 */
export function loadRegistry(options: { file: string; dataDir: string; plant: PlantConfig; warn?: (message: string) => void }): LoadedRegistry {
  const adminPath = join(options.dataDir, ADMIN_REGISTRY_FILE);
  if (existsSync(adminPath)) {
    try {
      return { registry: readRegistryFile(adminPath, options.plant), source: 'admin', path: adminPath };
    } catch (error) {
      (options.warn ?? console.error)(`collector: ignoring the partner registry saved by the admin API: ${(error as Error).message}`);
    }
  }
  if (options.file) return { registry: readRegistryFile(options.file, options.plant), source: 'file', path: options.file };
  return { registry: referencePartnerRegistry(), source: 'default', path: null };
}

/**
 * Writes the admin copy so that a crash leaves either the old or the new
 * file, never half of one: temp file, fsync, rename, fsync the directory.
 */
export function saveRegistry(dataDir: string, registry: PartnerRegistry): string {
  const path = join(dataDir, ADMIN_REGISTRY_FILE);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeSync(fd, `${JSON.stringify(registry, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
  return path;
}
