import { describe, expect, it } from 'vitest';
import {
  errorFromResponse,
  errorFromStream,
  errorFromTransport,
  forEndpoint,
  kindForStatus,
} from '../../../src/client/errors.js';
import { resolveHost } from '../../../src/client/host.js';
import { BerthError } from '../../../src/errors/kinds.js';

const host = resolveHost({ host: 'unix:///run/berth/engine.sock' }, {});

describe('error mapping', () => {
  it.each([
    [304, 'not-modified'],
    [400, 'invalid'],
    [401, 'unauthorized'],
    [403, 'unauthorized'],
    [404, 'not-found'],
    [409, 'conflict'],
    [500, 'engine'],
    [503, 'engine'],
  ])('maps HTTP %i to %s', (status, kind) => {
    expect(kindForStatus(status)).toBe(kind);
  });

  it('uses the body message and records endpoint and status', () => {
    const err = errorFromResponse(
      409,
      '{"message":"Conflict. The container name \\"/x\\" is already in use"}',
      'POST /containers/create',
    );
    expect(err).toBeInstanceOf(BerthError);
    expect(err.kind).toBe('conflict');
    expect(err.message).toBe('Conflict. The container name "/x" is already in use');
    expect(err.context).toEqual({ endpoint: 'POST /containers/create', status: 409 });
  });

  it('keeps a plain-text body and invents a message for an empty one', () => {
    expect(errorFromResponse(500, 'page not found\n', 'GET /x').message).toBe('page not found');
    expect(errorFromResponse(304, '', 'POST /containers/a/start').message).toMatch(/already in that state/);
    expect(errorFromResponse(502, '', 'GET /x').message).toBe('engine answered HTTP 502');
  });

  it('turns a missing socket into unavailable, naming the endpoint and how to start an engine', () => {
    const err = errorFromTransport(
      Object.assign(new Error('connect ENOENT'), { code: 'ENOENT' }),
      host,
      'GET /_ping',
    );
    expect(err.kind).toBe('unavailable');
    expect(err.message).toBe(
      'cannot reach the engine at unix:///run/berth/engine.sock: no such socket. Start one with `berth engine start`, or point --host/DOCKER_HOST at a Docker daemon',
    );
    const refused = errorFromTransport(
      Object.assign(new Error('x'), { code: 'ECONNREFUSED' }),
      host,
      'GET /_ping',
    );
    expect(refused.message).toMatch(/connection refused\. Start one/);
  });

  it('turns an abort into cancelled and passes berth errors through', () => {
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError', code: 'ABORT_ERR' });
    expect(errorFromTransport(abort, host, 'GET /events').kind).toBe('cancelled');
    const own = new BerthError('timeout', 't');
    expect(errorFromTransport(own, host, 'GET /x')).toBe(own);
  });

  it('classifies errors inside progress streams', () => {
    expect(errorFromStream('unauthorized: authentication required', 'POST /images/x/push').kind).toBe(
      'unauthorized',
    );
    expect(
      errorFromStream('pull access denied for x, repository does not exist', 'POST /images/create').kind,
    ).toBe('unauthorized');
    expect(errorFromStream('manifest for x:y not found: manifest unknown', 'POST /images/create').kind).toBe(
      'not-found',
    );
    expect(errorFromStream('something broke', 'POST /images/load').kind).toBe('engine');
    expect(errorFromStream('returned a non-zero code: 2', 'POST /build', 2, 'failed').kind).toBe('failed');
  });
});

describe('403', () => {
  it('is unauthorized for credentials and a conflict for state the engine forbids', () => {
    expect(errorFromResponse(403, '{"message":"access forbidden"}', 'POST /x').kind).toBe('unauthorized');
    const endpoints = '{"message":"error while removing network: network n id 1 has active endpoints"}';
    expect(errorFromResponse(403, endpoints, 'DELETE /networks/n').kind).toBe('conflict');
  });
});

describe('registry refusals', () => {
  it('are unauthorized even when Docker answers them with a 500', () => {
    const body =
      '{"message":"Head \\"http://127.0.0.1:5000/v2/a/manifests/v1\\": no basic auth credentials"}';
    expect(errorFromResponse(500, body, 'POST /images/create').kind).toBe('unauthorized');
    expect(errorFromResponse(500, '{"message":"disk full"}', 'POST /images/create').kind).toBe('engine');
  });
});

describe('forEndpoint', () => {
  it('attributes an error to the call being made, keeping kind, message and cause', () => {
    const original = errorFromTransport(
      Object.assign(new Error('x'), { code: 'ENOENT' }),
      host,
      'HEAD /_ping',
    );
    const moved = forEndpoint(original, 'POST /containers/create') as BerthError;
    expect(moved).toMatchObject({ kind: 'unavailable', message: original.message });
    expect(moved.context.endpoint).toBe('POST /containers/create');
    expect(moved.cause).toBe(original.cause);
    const plain = new Error('not ours');
    expect(forEndpoint(plain, 'GET /x')).toBe(plain);
  });
});
