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

  it('pins the API version from the option, else DOCKER_API_VERSION, without asking the engine', async () => {
    const host = 'unix:///tmp/berth-never.sock';
    expect(await new berth.EngineClient({ host, env: { DOCKER_API_VERSION: '1.40' } }).apiVersion()).toBe(
      '1.40',
    );
    const pinned = new berth.EngineClient({ host, apiVersion: '1.41', env: { DOCKER_API_VERSION: '1.40' } });
    expect(await pinned.apiVersion()).toBe('1.41');
  });
});
