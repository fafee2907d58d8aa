import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatError } from '../../../src/cli/render-error.js';
import { BerthError } from '../../../src/errors/kinds.js';
import { PositionIndex } from '../../../src/loader/tree-path.js';
import { validateSchema } from '../../../src/loader/validate-schema.js';

/** Validates inline YAML and returns the rendered problem lines (no positions recorded). */
function problems(yaml: string, positions = new PositionIndex()): string[] {
  try {
    validateSchema(parse(yaml), positions);
  } catch (err) {
    expect(err).toBeInstanceOf(BerthError);
    return (err as BerthError).details.map((d) => formatError(d));
  }
  return [];
}

describe('validateSchema', () => {
  it('accepts a realistic stack, with x- extensions anywhere', () => {
    const yaml = `
name: shop
x-common: &c { restart: always }
services:
  web:
    image: nginx
    build: { context: ., x-note: 1, args: [A=1] }
    ports: [80, "8080:80", { target: 443, published: "8443", protocol: tcp }]
    volumes: [./html:/usr/share/nginx/html:ro, { type: volume, source: data, target: /data }]
    environment: { A: 1, B: null, C: true }
    depends_on: { db: { condition: service_healthy, restart: true } }
    networks: { front: { aliases: [www] }, back: null }
    healthcheck: { test: [CMD, "true"], interval: 1m30s, retries: 3 }
    deploy: { replicas: 2, resources: { limits: { memory: 512m } } }
    ulimits: { nofile: { soft: 1024, hard: 2048 }, nproc: 65535 }
    x-anything: { free: form }
  db: { image: postgres, command: postgres -c fsync=off, profiles: [db] }
networks: { front: {}, back: { internal: true, x-foo: 1 } }
volumes: { data: }
secrets: { token: { file: ./token } }
configs: { conf: { content: hello } }
`;
    expect(problems(yaml)).toEqual([]);
  });

  it('reports a wrongly typed list item with its alternatives', () => {
    expect(problems('services: { web: { image: x, ports: [true] } }')).toEqual([
      'services.web.ports[0]: must be a string, number or mapping',
    ]);
  });

  it('reports unknown keys, at the key, and valid names', () => {
    const positions = new PositionIndex();
    positions.set(['services', 'web', 'imgae'], { file: 'compose.yaml', line: 4, col: 5 });
    expect(problems('services: { web: { imgae: x } }', positions)).toEqual([
      'compose.yaml:4:5 services.web: additional property "imgae" is not allowed',
    ]);
    expect(problems('servics: {}')).toEqual(['additional property "servics" is not allowed']);
    expect(problems('services: { "web app": { image: x } }')).toEqual([
      'services: invalid name "web app": only letters, digits, ".", "_" and "-" are allowed',
    ]);
  });

  it('picks the branch that matched the type and reports its deeper problem', () => {
    expect(problems('services: { web: { image: x, build: { contxt: . } } }')).toEqual([
      'services.web.build: additional property "contxt" is not allowed',
    ]);
    expect(problems('services: { web: { image: x, environment: { A: { b: 1 } } } }')).toEqual([
      'services.web.environment.A: must be a string, number, boolean or null',
    ]);
    expect(problems('services: { web: { image: x, command: [1] } }')).toEqual([
      'services.web.command[0]: must be a string',
    ]);
    expect(problems('services: { web: { image: x, networks: { front: 5 } } }')).toEqual([
      'services.web.networks.front: must be a mapping or null',
    ]);
    expect(problems('services: { web: { image: x, depends_on: { db: { condition: up } } } }')).toEqual([
      'services.web.depends_on.db.condition: must be one of "service_started", "service_healthy", "service_completed_successfully", not "up"',
    ]);
    expect(problems('services: { web: { image: x, depends_on: { db: {} } } }')).toEqual([
      'services.web.depends_on.db: "condition" is required',
    ]);
  });

  it('shows the offending value of a pattern', () => {
    expect(problems('services: { web: { image: x, pull_policy: sometimes } }')).toEqual([
      'services.web.pull_policy: "sometimes" does not match ^(always|never|build|if_not_present|missing|refresh|daily|weekly|every_([0-9]+[wdhms])+)$',
    ]);
  });

  it('renders plain type errors humanly', () => {
    expect(problems('services: { web: { image: x, healthcheck: yes } }')).toEqual([
      'services.web.healthcheck: must be a mapping',
    ]);
    expect(problems('services: { web: [] }')).toEqual(['services.web: must be a mapping']);
    expect(problems('services: { web: { image: x, cap_add: [A, A] } }')).toEqual([
      'services.web.cap_add: items [0] and [1] are duplicates',
    ]);
    expect(problems('services: { web: { image: x, scale: 1.5 } }')).toEqual([
      'services.web.scale: must be an integer or string',
    ]);
  });

  it('reports every problem at once, in file order', () => {
    const positions = new PositionIndex();
    positions.set(['services', 'b', 'ports', 0], { file: 'compose.yaml', line: 9, col: 7 });
    positions.set(['services', 'a', 'tty'], { file: 'compose.yaml', line: 3, col: 10 });
    const yaml = 'services: { a: { image: x, tty: [] }, b: { image: y, ports: [[]] } }';
    expect(problems(yaml, positions)).toEqual([
      'compose.yaml:3:10 services.a.tty: must be a boolean or string',
      'compose.yaml:9:7 services.b.ports[0]: must be a string, number or mapping',
    ]);
  });

  it('summarizes the count in the main message', () => {
    try {
      validateSchema({ services: { a: { tty: [] } }, foo: 1 }, new PositionIndex());
      expect.unreachable();
    } catch (err) {
      expect((err as BerthError).kind).toBe('invalid');
      expect((err as BerthError).message).toBe('invalid stack file (2 problems):');
    }
  });
});
