import { describe, expect, it } from 'vitest';
import * as berth from '../../../src/index.js';

describe("the library entry point ('berth')", () => {
  it('exports the Engine API client and its helpers', () => {
    expect(typeof berth.EngineClient).toBe('function');
    expect(typeof berth.resolveHost).toBe('function');
    expect(berth.DEFAULT_ENGINE_HOST).toBe('unix:///run/berth/engine.sock');
    const client = new berth.EngineClient({ host: 'unix:///tmp/berth-never.sock', env: {} });
    expect(client.host).toMatchObject({ source: 'option', fromDefault: false });
    expect(
      Object.keys(client)
        .filter((k) => !k.startsWith('transport'))
        .sort(),
    ).toEqual(['containers', 'exec', 'host', 'images', 'networks', 'system', 'volumes'].sort());
  });
});
