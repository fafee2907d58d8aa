import { describe, expect, it } from 'vitest';
import type { Route } from '../../../../runtime/api/route.js';
import { Router } from '../../../../runtime/server/router.js';

const noop = () => {};
const route = (method: Route['method'], path: string): Route => ({ method, path, handler: noop });

const router = new Router([
  route('GET', '/containers/json'),
  route('GET', '/containers/{id}/json'),
  route('POST', '/containers/{id}/start'),
  route('GET', '/images/json'),
  route('GET', '/images/{name*}/json'),
  route('DELETE', '/images/{name*}'),
  route('POST', '/images/{name*}/tag'),
  route('GET', '/_ping'),
]);

describe('Router', () => {
  it.each([
    ['GET', '/containers/json', '/containers/json', {}],
    ['GET', '/containers/abc/json', '/containers/{id}/json', { id: 'abc' }],
    ['POST', '/containers/my%20name/start', '/containers/{id}/start', { id: 'my name' }],
    ['GET', '/images/json', '/images/json', {}],
    ['GET', '/images/busybox/json', '/images/{name*}/json', { name: 'busybox' }],
    [
      'GET',
      '/images/localhost:5000/org/app:1.0/json',
      '/images/{name*}/json',
      { name: 'localhost:5000/org/app:1.0' },
    ],
    [
      'DELETE',
      '/images/docker.io/library/busybox:latest',
      '/images/{name*}',
      { name: 'docker.io/library/busybox:latest' },
    ],
    ['POST', '/images/a/b/tag', '/images/{name*}/tag', { name: 'a/b' }],
    ['HEAD', '/_ping', '/_ping', {}],
  ])('%s %s matches %s', (method, path, pattern, params) => {
    const m = router.match(method, path);
    expect(m?.route.path).toBe(pattern);
    expect(m?.params).toEqual(params);
  });

  it.each([
    ['GET', '/nope'],
    ['POST', '/containers/json'],
    ['GET', '/containers/a/b/json'],
  ])('%s %s matches nothing', (method, path) => {
    expect(router.match(method, path)).toBeUndefined();
  });

  it('refuses a duplicate route', () => {
    expect(() => router.add(route('GET', '/_ping'))).toThrow(/duplicate/);
  });
});
