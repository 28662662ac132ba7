import { describe, expect, it } from 'vitest';
import { classifyServer } from './server-info';

const ping = (headers: Record<string, string>) => classifyServer('http://influx:8086', new Headers(headers));

describe('classifyServer', () => {
  it('sends InfluxDB before 1.8 through the legacy write path', () => {
    expect(ping({ 'X-Influxdb-Version': '1.6.7~rc0' })).toMatchObject({
      product: 'InfluxDB 1.x',
      name: 'InfluxDB 1.6.7',
      version: '1.6.7~rc0',
      writePath: 'v1-legacy',
    });
  });

  it('uses the v2 write API from 1.8 on, and on 2.x, 3.x and Cloud', () => {
    expect(ping({ 'X-Influxdb-Version': '1.8.10' })).toMatchObject({ product: 'InfluxDB 1.x', writePath: 'v2' });
    expect(ping({ 'X-Influxdb-Version': 'v2.7.11', 'X-Influxdb-Build': 'OSS' })).toMatchObject({
      product: 'InfluxDB 2.x',
      name: 'InfluxDB 2.7.11',
      writePath: 'v2',
    });
    expect(ping({ 'X-Influxdb-Version': '3.2.0', 'X-Influxdb-Build': 'Core' })).toMatchObject({
      product: 'InfluxDB 3.x',
      writePath: 'v2',
    });
    expect(ping({ 'X-Influxdb-Version': '2.0.0', 'X-Influxdb-Build': 'Cloud' })).toMatchObject({
      product: 'InfluxDB Cloud',
      writePath: 'v2',
    });
  });

  it('treats a server without version headers as a v2-compatible writer', () => {
    expect(ping({})).toMatchObject({ product: 'unknown', writePath: 'v2', version: null });
  });
});
