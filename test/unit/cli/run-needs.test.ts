import { describe, expect, it } from 'vitest';
import { oneOffUp } from '../../../src/project/run.js';
import type { ObservedState } from '../../../src/reconcile/observed-state.js';
import { renderPlan } from '../../../src/reconcile/plan.js';
import { reconcile } from '../../../src/reconcile/reconcile.js';
import { convergedState, images, project, service } from '../reconcile/fixtures.js';

const IMAGES = { 'busybox:latest': 'sha256:b0' };
const db = service('db', { image: 'busybox:latest', healthcheck: { test: ['CMD', 'true'] } as never });
const app = service('app', {
  image: 'busybox:latest',
  scale: 0,
  depends_on: { db: { condition: 'service_healthy', required: true, restart: false } },
  networks: { back: { aliases: [] }, default: { aliases: [] } },
  volumes: [{ type: 'volume', source: 'data', target: '/data' } as never],
});
const model = project([db, app], {
  networks: {
    default: { name: 'demo_default', driver_opts: {}, labels: {}, extensions: {} },
    back: { name: 'demo_back', driver_opts: {}, labels: {}, extensions: {} },
  } as never,
  volumes: { data: { name: 'demo_data', driver_opts: {}, labels: {}, extensions: {} } } as never,
});

/** The plan `run app` executes before creating its one-off container. */
function runNeeds(observed: ObservedState, noDeps = false): string {
  const up = oneOffUp(model, app, { noDeps });
  return renderPlan(up.shape(reconcile(up.model, observed, up.options)));
}

const empty: ObservedState = { containers: [], networks: {}, volumes: {}, images: images(IMAGES) };

describe('what `run` brings up first', () => {
  it('on a fresh project: the networks and volume the service uses, its dependency started and healthy; not its own container', () => {
    expect(runNeeds(empty)).toBe(
      [
        '[] -> #1 network:demo_back, CreateNetwork, not found',
        '[] -> #2 network:demo_default, CreateNetwork, not found',
        '[] -> #3 volume:demo_data, CreateVolume, not found',
        '[2] -> #4 service:db:1, CreateContainer, not found',
        '[4] -> #5 service:db:1, StartContainer, not found',
        '[5] -> #8 service:db:1, AwaitHealthy, service_healthy',
        '',
      ].join('\n'),
    );
  });

  it('on a converged project: only the wait for the dependency', () => {
    expect(runNeeds(convergedState(model, IMAGES))).toBe(
      '[] -> #3 service:db:1, AwaitHealthy, service_healthy\n',
    );
  });

  it('with --no-deps: only what the service itself needs', () => {
    expect(runNeeds(empty, true)).toBe(
      [
        '[] -> #1 network:demo_back, CreateNetwork, not found',
        '[] -> #2 network:demo_default, CreateNetwork, not found',
        '[] -> #3 volume:demo_data, CreateVolume, not found',
        '',
      ].join('\n'),
    );
  });
});
