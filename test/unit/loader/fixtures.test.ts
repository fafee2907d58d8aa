// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Compose interpolation syntax appears in expected values
import { describe, expect, it } from 'vitest';
import { formatError } from '../../../src/cli/render-error.js';
import { isBerthError } from '../../../src/errors/kinds.js';
import { loadProject } from '../../../src/loader/load-project.js';
import { fixtureOptions, type StackFixture, stackFixtures } from '../../fixtures/stacks/fixtures.js';

const fixtures = stackFixtures();
const valid = fixtures.filter((f) => !f.error);
const invalid = fixtures.filter((f) => f.error);

async function load(fixture: StackFixture) {
  return loadProject(fixtureOptions(fixture));
}

describe('stack fixture corpus', () => {
  it('has real-world shaped valid and invalid stacks', () => {
    expect(valid.length).toBeGreaterThanOrEqual(10);
    expect(invalid.length).toBeGreaterThanOrEqual(15);
  });

  it.each(valid.map((f) => [f.name, f] as const))('%s loads', async (_name, fixture) => {
    const project = await load(fixture);
    expect(Object.keys(project.services).length).toBeGreaterThan(0);
  });

  it.each(
    invalid.map((f) => [f.name, f] as const),
  )('%s fails with its expected message', async (_name, fixture) => {
    let failure: unknown;
    try {
      await load(fixture);
    } catch (err) {
      failure = err;
    }
    if (!isBerthError(failure)) throw failure ?? new Error(`${fixture.name} loaded without error`);
    expect(failure.kind).toBe(fixture.error!.kind);
    const text = formatError(failure).replaceAll(fixture.dir, '<dir>');
    const lines = text.split('\n');
    for (const line of fixture.error!.lines ?? []) expect(lines).toContain(line);
    for (const part of fixture.error!.contains ?? []) expect(text).toContain(part);
  });
});

describe('what the valid fixtures load to', () => {
  const byName = (name: string) => load(valid.find((f) => f.name === name)!);

  it('web-db-cache: .env values and defaults interpolated, casts applied', async () => {
    const p = await byName('web-db-cache');
    expect(p.name).toBe('shop');
    expect(p.services.proxy!.ports.map((x) => `${x.published}:${x.target}`)).toEqual(['8000:80', '8443:443']);
    expect(p.services.app!.environment.DATABASE_URL).toBe('postgres://shop:s3cret@db:5432/shop');
    expect(p.services.app!.environment.LOG_LEVEL).toBe('info');
    expect(p.services.db!.healthcheck?.retries).toBe(10);
  });

  it('multiple-files: replace, merge by key, !reset and !override', async () => {
    const web = (await byName('multiple-files')).services.web!;
    expect(web.image).toBe('example/web:2.1');
    expect(web.command).toEqual(['serve']);
    expect(web.environment).toEqual({ MODE: 'prod' });
    expect(web.ports.map((x) => `${x.published}:${x.target}`)).toEqual(['80:80']);
    expect(web.labels).toEqual({ tier: 'frontend', release: 'stable' });
    expect(web.scale).toBe(3);
  });

  it('override-discovery: ports appended, volumes unique by target', async () => {
    const app = (await byName('override-discovery')).services.app!;
    expect(app.ports.map((x) => x.target)).toEqual([3000, 9229]);
    expect(app.volumes.map((v) => v.source?.split('/').pop())).toEqual(['src-dev']);
  });

  it('dotenv: quotes, escapes, multi-line, literal single quotes, $$ and casts', async () => {
    const app = (await byName('dotenv')).services.app!;
    expect(app.image).toBe('registry.local:5000/app:1.4.2');
    expect(app.environment).toMatchObject({
      GREETING: 'hello "world"',
      MULTI: 'first\nsecond',
      LITERAL: 'no ${INTERPOLATION} here',
      PRICE: '$5',
      FALLBACK: 'fallback',
      APP_MODE: 'production',
      APP_URL: 'https://registry.local:5000/x',
    });
    expect(app.tty).toBe(true);
    expect(app.scale).toBe(2);
  });

  it('profiles: a selected profile and what it depends on are active', async () => {
    const p = await byName('profiles');
    expect(Object.keys(p.services).sort()).toEqual(['app', 'db', 'debugger', 'helper']);
    expect(Object.keys(p.disabled_services)).toEqual(['docs']);
  });

  it('extends-files: the base file directory anchors its relative paths', async () => {
    const fixture = valid.find((f) => f.name === 'extends-files')!;
    const p = await load(fixture);
    const web = p.services.web!;
    expect(web.build?.context).toBe(`${fixture.dir}/common/webapp`);
    expect(web.volumes[0]?.source).toBe(`${fixture.dir}/common/static`);
    expect(web.environment).toMatchObject({ ROLE: 'web', TZ: 'UTC', SHARED: '1' });
    expect(web.labels).toEqual({ 'com.example.team': 'platform' });
    expect(p.services.worker!.command).toEqual(['worker', '--queue', 'default']);
  });

  it('include: each included stack uses its own variables and directory', async () => {
    const fixture = valid.find((f) => f.name === 'include')!;
    const p = await load(fixture);
    expect(p.services.postgres!.image).toBe('postgres:16');
    expect(p.services.rabbit!.image).toBe('rabbitmq:3-management');
    expect(p.services.postgres!.volumes[0]?.source).toBe(`${fixture.dir}/database/init`);
    expect(Object.keys(p.volumes)).toEqual(['pg']);
  });

  it('anchors: << merge keys with explicit keys winning', async () => {
    const p = await byName('anchors');
    expect(p.services.one!.restart).toBe('on-failure:3');
    expect(p.services.two!.restart).toBe('always');
    expect(p.services.two!.logging?.options).toEqual({ 'max-size': '10m', 'max-file': '3' });
  });
});
