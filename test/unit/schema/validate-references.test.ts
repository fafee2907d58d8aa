import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatError } from '../../../src/cli/render-error.js';
import type { BerthError } from '../../../src/errors/kinds.js';
import { PositionIndex } from '../../../src/loader/tree-path.js';
import { validateReferences } from '../../../src/loader/validate-references.js';

function problems(yaml: string, positions = new PositionIndex()): string[] {
  try {
    validateReferences(parse(yaml), positions);
    return [];
  } catch (err) {
    const e = err as BerthError;
    return (e.details.length > 0 ? e.details : [e]).map(formatError);
  }
}

describe('validateReferences', () => {
  it('accepts a stack whose references all resolve', () => {
    expect(
      problems(`
services:
  web:
    build: .
    networks: [front, default]
    volumes: [data:/d, ./local:/l, /anon, { type: volume, source: data, target: /e }, { type: tmpfs, target: /t }]
    secrets: [token, { source: token, target: /t }]
    configs: [conf]
    depends_on: { db: { condition: service_healthy }, opt: { condition: service_started, required: false }, opt2: { condition: service_started, required: "false" } }
    links: ["db:database"]
    volumes_from: [db, "container:other"]
  db: { image: pg, ipc: "service:web", pid: host }
  side: { image: x, network_mode: "service:web" }
networks: { front: {} }
volumes: { data: {} }
secrets: { token: { file: ./t } }
configs: { conf: { content: x } }
`),
    ).toEqual([]);
  });

  it('reports every undefined reference at once, located', () => {
    const positions = new PositionIndex();
    positions.set(['services', 'web', 'networks', 0], { file: 'compose.yaml', line: 4, col: 17 });
    const yaml = `
services:
  web:
    image: x
    networks: [back]
    volumes: [cache:/c, { type: volume, source: logs, target: /l }]
    secrets: [nope]
    configs: [{ source: gone }]
    depends_on: [db]
    links: [mq]
    volumes_from: [store]
  side: { image: x, network_mode: "service:ghost", ipc: "service:spook" }
  bare: { command: [true] }
`;
    expect(problems(yaml, positions)).toEqual([
      'compose.yaml:4:17 services.web.networks[0]: refers to undefined network "back"',
      'services.web.volumes[0]: refers to undefined volume "cache"',
      'services.web.volumes[1]: refers to undefined volume "logs"',
      'services.web.secrets[0]: refers to undefined secret "nope"',
      'services.web.configs[0]: refers to undefined config "gone"',
      'services.web.depends_on[0]: refers to undefined service "db"',
      'services.web.links[0]: refers to undefined service "mq"',
      'services.web.volumes_from[0]: refers to undefined service "store"',
      'services.side.network_mode: refers to undefined service "ghost"',
      'services.side.ipc: refers to undefined service "spook"',
      'services.bare: service "bare" has neither an image nor a build context',
    ]);
  });

  it('rejects network_mode together with networks', () => {
    expect(problems('services: { a: { image: x, network_mode: host, networks: [default] } }')).toEqual([
      'services.a.network_mode: "network_mode" and "networks" cannot be used together',
    ]);
  });
});
