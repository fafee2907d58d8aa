import { describe, expect, it } from 'vitest';
import { renderError } from '../../../src/cli/render-error.js';
import { BerthError } from '../../../src/errors/kinds.js';

describe('renderError', () => {
  it.each([
    [
      new BerthError('invalid', 'must be a string', {
        location: 'compose.yaml:3:5',
        path: 'services.web.image',
      }),
      'compose.yaml:3:5 services.web.image: must be a string',
    ],
    [
      new BerthError('timeout', 'timed out waiting for service "db" to be healthy', { service: 'db' }),
      'timed out waiting for service "db" to be healthy',
    ],
    [
      new BerthError('failed', 'no Dockerfile at /x/Nope.Dockerfile', {
        location: '/x/Nope.Dockerfile',
        service: 'bad',
      }),
      'service "bad": no Dockerfile at /x/Nope.Dockerfile',
    ],
    [
      new BerthError('conflict', 'port is already allocated', {
        service: 'web',
        endpoint: 'POST /containers/x/start',
      }),
      'service "web" POST /containers/x/start: port is already allocated',
    ],
  ])('%#', (err, text) => {
    expect(renderError(err).text).toBe(text);
  });

  it('exits 130 on cancellation and never shows a stack for a non-berth error', () => {
    expect(renderError(new BerthError('cancelled', 'interrupted')).exitCode).toBe(130);
    const { text, exitCode } = renderError(new TypeError('x is undefined'));
    expect(exitCode).toBe(1);
    expect(text).not.toMatch(/\\n\\s+at /);
  });
});
