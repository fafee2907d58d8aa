import { describe, expect, it } from 'vitest';
import { load, problemsOf } from './helpers.js';

describe('consistency checks', () => {
  it('rejects a container_name with a scale above one, or used twice', () => {
    expect(
      problemsOf(() =>
        load(`
services:
  a: { image: x, container_name: app, scale: 2 }
  b: { image: x, container_name: app }
`),
      ),
    ).toEqual([
      'services.a.container_name: container_name "app" cannot be used with a scale of 2: names are unique',
      'services.b.container_name: container_name "app" is already used by service "a"',
    ]);
  });

  it('rejects a healthcheck that runs a test and is disabled', () => {
    expect(
      problemsOf(() =>
        load('services: { a: { image: x, healthcheck: { test: [CMD, "true"], disable: true } } }'),
      ),
    ).toEqual(['services.a.healthcheck: a healthcheck cannot set "test" and "disable: true" together']);
    expect(
      load('services: { a: { image: x, healthcheck: { disable: true } } }').services.a.healthcheck,
    ).toEqual({
      disable: true,
    });
  });

  it('rejects relative mount targets', () => {
    expect(
      problemsOf(() =>
        load('services: { a: { image: x, volumes: ["data:relative/dir"] } }\nvolumes: { data: {} }'),
      ),
    ).toEqual([
      'services.a.volumes[0]: mount target "relative/dir" must be an absolute path in the container',
    ]);
  });
});
