import { describe, expect, it } from 'vitest';
import { referenceStationTags } from './connectors';
import { PlantConfig, referencePlant } from './plant';

const source = {
  id: 'plc1',
  endpoint: 'opc.tcp://10.0.0.7:4840',
  stations: [referenceStationTags('A1', 'S01', { completesUnit: false })],
};
const plantWith = (connectors: unknown) => ({ ...referencePlant(3), connectors });

/** Every issue as `path: message`. */
function problems(raw: unknown): string[] {
  const parsed = PlantConfig.safeParse(raw);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('connectors section of the plant file', () => {
  it('accepts the reference tag maps and a plant without connectors', () => {
    expect(problems(plantWith({ opcua: [source], sparkplug: [{ group: 'G', node: 'N', device: 'S02', stations: [referenceStationTags('A1', 'S02', { completesUnit: true, address: (n) => n })] }] }))).toEqual([]);
    expect(problems(referencePlant(3))).toEqual([]);
  });

  it('names each wrong field with a reason', () => {
    const bad = plantWith({
      opcua: [
        {
          ...source,
          endpoint: 'http://plc',
          securityMode: 'Sign',
          username: 'taktline',
          publishingIntervalMs: 5,
          stations: [
            { line: 'A1', station: 'S01', cycleCounter: 'A1.S01.Counter', state: { tag: 'ns=1;s=x', map: { '1': 'runing' } } },
            { line: 'A1', station: 'S09', cycleCounter: 'ns=1;s=c' },
            { line: 'A1', station: 'S02', cycleTime: 'ns=1;s=t', andon: { tag: 'ns=1;s=a' } },
          ],
        },
      ],
    });
    expect(problems(bad)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^connectors\.opcua\.0\.endpoint: endpoint must be an OPC UA URL/),
        expect.stringMatching(/^connectors\.opcua\.0\.publishingIntervalMs: publishingIntervalMs must be at least 50/),
        expect.stringMatching(/^connectors\.opcua\.0\.stations\.0\.state\.map\.1: each state\.map value must be one of running/),
        expect.stringMatching(/^connectors\.opcua\.0\.stations\.2\.cycleTime: cycleTime needs cycleCounter/),
      ]),
    );
    // Cross-field checks run once the fields themselves are valid.
    const crossField = plantWith({
      opcua: [{ ...source, securityMode: 'Sign', username: 'taktline', stations: [{ line: 'A1', station: 'S01', cycleCounter: 'A1.S01.Counter' }] }],
    });
    expect(problems(crossField)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^connectors\.opcua\.0\.securityPolicy: securityMode and securityPolicy go together/),
        expect.stringMatching(/^connectors\.opcua\.0\.passwordEnv: username and passwordEnv go together/),
        expect.stringMatching(/^connectors\.opcua\.0\.stations\.0\.cycleCounter: cycleCounter 'A1\.S01\.Counter' is not an OPC UA NodeId/),
      ]),
    );
    expect(problems(plantWith({ opcua: [{ ...source, stations: [{ line: 'A1', station: 'S09', cycleCounter: 'ns=1;s=c' }] }] }))).toEqual([
      "connectors.opcua.0.stations.0.station: station 'S09' is not on line 'A1'",
    ]);
    expect(problems(plantWith({ opcua: [{ ...source, stations: [{ line: 'A1', station: 'S01' }] }] }))).toEqual([
      'connectors.opcua.0.stations.0: map at least one of cycleCounter, state or andon: without them the station sends nothing',
    ]);
  });
});
