// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Compose interpolation syntax is the subject of these tests
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/index.js';
import { rejection, stackDir } from './stack-dir.js';

describe('loadProject', () => {
  it('returns the normalized model of a stack', async () => {
    const root = stackDir(
      {
        'compose.yaml': [
          'services:',
          '  web:',
          '    image: nginx',
          '    ports: ["${PORT:-8080}:80"]',
          '    depends_on:',
          '      db: {condition: service_healthy}',
          '  db:',
          '    image: postgres',
          '    healthcheck: {test: [CMD, pg_isready], interval: 5s, retries: "${RETRIES}"}',
        ].join('\n'),
        '.env': 'RETRIES=7\n',
      },
      'berth-lp-',
    );
    const project = await loadProject({ cwd: root, env: {} });
    expect(project.name).toMatch(/^berth-lp-/);
    expect(Object.keys(project.services).sort()).toEqual(['db', 'web']);
    expect(project.services.web!.ports[0]).toMatchObject({ target: 80, published: '8080' });
    expect(project.services.db!.healthcheck?.retries).toBe(7);
    expect(project.services.web!.depends_on.db?.condition).toBe('service_healthy');
  });

  it('fails on a schema problem with its place', async () => {
    const root = stackDir({ 'compose.yaml': 'services:\n  web:\n    image: x\n    tty: maybe\n' });
    const err = await rejection(loadProject({ cwd: root, env: {} }));
    expect(err.kind).toBe('invalid');
    const all = [err, ...err.details].map((e) => `${e.context.location} ${e.context.path}`);
    expect(all.some((line) => line.startsWith('compose.yaml:4:10 services.web.tty'))).toBe(true);
  });

  it('fails on a dependency cycle', async () => {
    const root = stackDir({
      'compose.yaml': 'services:\n  a: {image: x, depends_on: [b]}\n  b: {image: x, depends_on: [a]}\n',
    });
    const err = await rejection(loadProject({ cwd: root, env: {} }));
    expect(err.message).toMatch(/a -> b -> a/);
  });
});
