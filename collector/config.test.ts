import { describe, expect, it } from 'vitest';
import { ConfigError, configFromEnv } from './config';

const SECRET = 's3cret-pw-91';

function failure(env: Record<string, string>): ConfigError {
  try {
    configFromEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('INFLUX_URL', () => {
  it('refuses a user name and password in the URL and says to pass them in INFLUX_TOKEN, without repeating them', () => {
    for (const url of [`http://admin:${SECRET}@influx:8086`, `https://admin:${SECRET}@influx.example.com`, `http://${SECRET}@influx:8086`]) {
      const error = failure({ INFLUX_URL: url });
      expect(error.message).toMatch(/INFLUX_TOKEN/);
      expect(error.message).toMatch(/user:password for InfluxDB 1\.x/);
      expect(error.message).toMatch(/INFLUX_URL=https?:\/\/influx/);
      expect(error.message).not.toContain(SECRET);
      expect(error.message).not.toContain('admin');
    }
  });

  it('refuses a query (where a token would hide) and never echoes a value that is not a URL', () => {
    expect(failure({ INFLUX_URL: `http://influx:8086/?token=${SECRET}` }).message).not.toContain(SECRET);
    expect(failure({ INFLUX_URL: `${SECRET} not a url` }).message).not.toContain(SECRET);
    expect(failure({ INFLUX_URL: `ftp://u:${SECRET}@influx` }).message).not.toContain(SECRET);
  });

  it('accepts a plain URL, with the credentials in INFLUX_TOKEN', () => {
    const config = configFromEnv({ INFLUX_URL: 'http://influx:8086', INFLUX_TOKEN: `admin:${SECRET}` });
    expect(config.influxUrl).toBe('http://influx:8086');
    expect(config.influxToken).toBe(`admin:${SECRET}`);
  });
});

describe('TAKTLINE_MQTT_URL', () => {
  it('does not repeat the password of a URL it refuses', () => {
    expect(failure({ TAKTLINE_MQTT_URL: `http://u:${SECRET}@broker` }).message).not.toContain(SECRET);
  });
});

describe('TAKTLINE_ALLOWED_ORIGINS', () => {
  it('takes a comma-separated list of origins, normalised', () => {
    expect(configFromEnv({}).allowedOrigins).toEqual([]);
    expect(configFromEnv({ TAKTLINE_ALLOWED_ORIGINS: 'https://Wall.Example.com, http://10.0.0.5:8080/' }).allowedOrigins).toEqual([
      'https://wall.example.com',
      'http://10.0.0.5:8080',
    ]);
  });

  it('refuses what is not an origin', () => {
    for (const value of ['*', 'wall.example.com', 'https://wall.example.com/dashboard', 'ws://wall.example.com', `https://u:${SECRET}@wall.example.com`]) {
      const error = failure({ TAKTLINE_ALLOWED_ORIGINS: value });
      expect(error.message, value).toMatch(/TAKTLINE_ALLOWED_ORIGINS/);
      expect(error.message).not.toContain(SECRET);
    }
  });
});

describe('TAKTLINE_MAX_UNREGISTERED_NAMES', () => {
  it('is 0 (registered names only) unless set, and bounded', () => {
    expect(configFromEnv({}).maxUnregisteredNames).toBe(0);
    expect(configFromEnv({ TAKTLINE_MAX_UNREGISTERED_NAMES: '50' }).maxUnregisteredNames).toBe(50);
    expect(failure({ TAKTLINE_MAX_UNREGISTERED_NAMES: '1000000' }).message).toMatch(/from 0 to 10000/);
    expect(failure({ TAKTLINE_MAX_UNREGISTERED_NAMES: '-1' }).message).toMatch(/TAKTLINE_MAX_UNREGISTERED_NAMES/);
  });
});

describe('TAKTLINE_PUBLIC_URL', () => {
  it('is empty unless set, kept without its trailing slash, and refused with user info, a query or another scheme', () => {
    expect(configFromEnv({}).publicUrl).toBe('');
    expect(configFromEnv({ TAKTLINE_PUBLIC_URL: 'https://taktline.plant.example/mes/' }).publicUrl).toBe('https://taktline.plant.example/mes');
    for (const bad of ['taktline.plant.example', 'ftp://plant.example', `https://admin:${SECRET}@plant.example`, 'https://plant.example/?token=x']) {
      let error: unknown = null;
      try {
        configFromEnv({ TAKTLINE_PUBLIC_URL: bad });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain('TAKTLINE_PUBLIC_URL');
      expect((error as Error).message).not.toContain(SECRET);
    }
  });
});
