/**
 * The partner registry file: checked at start with errors that name the
 * variable, the file and the field; the admin copy in the data dir wins over
 * the operator's file, which wins over the demo registry.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { referencePartnerRegistry } from '../../core/cluster/reference';
import { referencePlant } from '../../core/plant';
import { ConfigError, configFromEnv } from '../config';
import { loadRegistry, saveRegistry } from '../partners/registry-file';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'taktline-partners-file-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('TAKTLINE_PARTNERS_FILE', () => {
  it('accepts a valid YAML registry', () => {
    const file = join(dir, 'partners.yaml');
    writeFileSync(file, stringify(referencePartnerRegistry()));
    expect(configFromEnv({ TAKTLINE_PARTNERS_FILE: file }).partnersFile).toBe(file);
  });

  it('stops the collector naming the variable, the file and the field', () => {
    const file = join(dir, 'partners.yaml');
    const registry = referencePartnerRegistry();
    registry.partners[2]!.inventoryPolicy = { minHours: 4, deliveryEveryHours: -1, firstDeliveryAt: '00:00' };
    writeFileSync(file, stringify(registry));
    expect(() => configFromEnv({ TAKTLINE_PARTNERS_FILE: file })).toThrow(ConfigError);
    expect(() => configFromEnv({ TAKTLINE_PARTNERS_FILE: file })).toThrow(
      `TAKTLINE_PARTNERS_FILE: '${file}' at partners.2.inventoryPolicy.deliveryEveryHours: inventoryPolicy.deliveryEveryHours must be greater than 0 and at most 168`,
    );
    writeFileSync(file, 'partners: [');
    expect(() => configFromEnv({ TAKTLINE_PARTNERS_FILE: file })).toThrow(/is not valid YAML/);
    expect(() => configFromEnv({ TAKTLINE_PARTNERS_FILE: join(dir, 'missing.json') })).toThrow(/TAKTLINE_PARTNERS_FILE: cannot read/);
  });
});

describe('loadRegistry', () => {
  const plant = referencePlant();

  it('prefers the admin copy, then the file, then the demo registry', () => {
    expect(loadRegistry({ file: '', dataDir: dir, plant }).source).toBe('default');
    const file = join(dir, 'operator.json');
    const fromFile = referencePartnerRegistry();
    fromFile.cluster.targetYuan = 1.2e11;
    writeFileSync(file, JSON.stringify(fromFile));
    expect(loadRegistry({ file, dataDir: dir, plant })).toMatchObject({ source: 'file', registry: { cluster: { targetYuan: 1.2e11 } } });
    const fromAdmin = referencePartnerRegistry();
    fromAdmin.cluster.targetYuan = 1.5e11;
    saveRegistry(dir, fromAdmin);
    expect(loadRegistry({ file, dataDir: dir, plant })).toMatchObject({ source: 'admin', registry: { cluster: { targetYuan: 1.5e11 } } });
    // The write leaves no temporary file behind.
    expect(readdirSync(dir).sort()).toEqual(['operator.json', 'partners.json']);
  });

  it('skips a damaged admin copy with a warning and falls back to the file', () => {
    writeFileSync(join(dir, 'partners.json'), '{"version": 1, "partn');
    const warnings: string[] = [];
    const loaded = loadRegistry({ file: '', dataDir: dir, plant, warn: (m) => warnings.push(m) });
    expect(loaded.source).toBe('default');
    expect(warnings).toEqual([expect.stringContaining('ignoring the partner registry saved by the admin API')]);
  });
});
