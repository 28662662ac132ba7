import { OpcuaPlcServer } from './simulator/sinks/opcua';
import { OpcuaSourceConnector } from './collector/connectors/opcua/source';
import { referenceStationTags } from './core/connectors';
import { Metrics } from './collector/metrics';
const plc = await OpcuaPlcServer.start({ line: 'A1', stations: ['S01','S02'], port: 0, pkiDir: '/tmp/dbgpki3' });
const ingestor = { ingest: async (items: unknown[]) => ({ accepted: items.length, duplicates: 0, rejected: [], ids: [] }) };
const c = new OpcuaSourceConnector({ source: { id: 'p', endpoint: plc.endpoint, publishingIntervalMs: 50, stations: [referenceStationTags('A1', 'S01', { completesUnit: false }), referenceStationTags('A1', 'S02', { completesUnit: true })] }, ingestor: ingestor as never, metrics: new Metrics(), pkiDir: '/tmp/dbgpki3', env: {}, log: (m) => console.log('LOG', m) });
c.start();
for (let i = 0; i < 100; i++) { await new Promise(r => setTimeout(r, 200)); const s = c.status(); console.log('S', s.state, s.lastValueAt, s.lastError); if (s.state === 'connected' && s.lastValueAt) break; }
console.log('closing'); await c.close(); console.log('closed'); await plc.stop(); console.log('stopped'); process.exit(0);
