import { describe, expect, it } from 'vitest';
import { Label } from '../../../src/reconcile/labels.js';
import { renderPlan } from '../../../src/reconcile/plan.js';
import { planImages } from '../../../src/reconcile/plan-images.js';
import { reconcileDown } from '../../../src/reconcile/reconcile-down.js';
import { planLifecycle } from '../../../src/reconcile/reconcile-lifecycle.js';
import { buildConfig, convergedState, project, service } from './fixtures.js';
import { expectGolden } from './golden.js';

const IMAGE = 'berth-test/busybox:latest';
const IDS = { [IMAGE]: 'sha256:aaaa' };
const dependsOnDb = { db: { condition: 'service_started' as const, required: true, restart: false } };

function stack() {
  return project(
    [
      service('db', { image: IMAGE, volumes: [{ type: 'volume', source: 'data', target: '/data' }] }),
      service('web', { image: IMAGE, depends_on: dependsOnDb }),
    ],
    { volumes: { data: { name: 'demo_data', driver_opts: {}, labels: {}, extensions: {} } } },
  );
}

describe('reconcileDown', () => {
  it('stops dependents first, then removes containers, the network and, with -v, the volumes', () => {
    const p = stack();
    expectGolden(
      'plans/down-volumes.txt',
      renderPlan(reconcileDown(p, convergedState(p, IDS), { volumes: true })),
    );
  });

  it('leaves orphans (and the network they use) unless --remove-orphans', () => {
    const p = stack();
    const withOld = project([...Object.values(p.services), service('old', { image: IMAGE })], {
      volumes: p.volumes,
    });
    const observed = convergedState(withOld, IDS);
    expectGolden('plans/down-orphans.txt', renderPlan(reconcileDown(p, observed)));
  });

  it('removes everything labelled with a project known only by name', () => {
    const p = stack();
    const nameOnly = project([], { networks: {} });
    const plan = reconcileDown(nameOnly, convergedState(p, IDS), { volumes: true });
    expect(plan.nodes.map((n) => n.operation.resource)).toEqual([
      'service:db:1',
      'service:db:1',
      'service:web:1',
      'service:web:1',
      'network:demo_default',
      'volume:demo_data',
    ]);
  });
});

describe('planLifecycle', () => {
  it('stops in reverse dependency order and starts in dependency order', () => {
    const p = stack();
    const running = convergedState(p, IDS);
    expectGolden('plans/lifecycle-stop.txt', renderPlan(planLifecycle(p, running, 'stop', { timeout: 3 })));
    for (const c of running.containers) c.state = 'exited';
    expectGolden('plans/lifecycle-start.txt', renderPlan(planLifecycle(p, running, 'start')));
  });

  it('removes only stopped containers unless asked to stop them, and never one-offs', () => {
    const p = stack();
    const observed = convergedState(p, IDS);
    observed.containers[0].state = 'exited';
    observed.containers.push({
      ...observed.containers[1],
      id: 'oneoff',
      labels: { ...observed.containers[1].labels, [Label.oneoff]: 'True' },
    });
    expect(planLifecycle(p, observed, 'rm').nodes.map((n) => n.operation.resource)).toEqual(['service:db:1']);
    expect(planLifecycle(p, observed, 'rm', { stop: true }).nodes).toHaveLength(3);
  });
});

describe('restart with depends_on.restart', () => {
  it('restarts the dependents that ask for it, after their dependency', () => {
    const p = stack();
    p.services.web.depends_on = { db: { condition: 'service_started', required: true, restart: true } };
    const plan = planLifecycle(p, convergedState(p, IDS), 'restart', { services: ['db'] });
    expect(renderPlan(plan)).toBe(
      '[] -> #1 service:db:1, RestartContainer, restart\n[1] -> #2 service:web:1, RestartContainer, restart\n',
    );
    p.services.web.depends_on.db.restart = false;
    expect(planLifecycle(p, convergedState(p, IDS), 'restart', { services: ['db'] }).nodes).toHaveLength(1);
  });
});

describe('planImages', () => {
  it('pulls services with an image, builds those with build:, pushes those with both', () => {
    const build = buildConfig('/srv/demo/app');
    const p = project([
      service('app', { build, image: 'registry.local/app:1' }),
      service('cache', { image: 'redis:7' }),
      service('worker', { build }),
    ]);
    const kinds = (k: 'pull' | 'build' | 'push') => planImages(p, k).nodes.map((n) => n.operation.resource);
    expect(kinds('pull')).toEqual(['image:registry.local/app:1', 'image:redis:7']);
    expect(kinds('build')).toEqual(['image:registry.local/app:1', 'image:demo-worker']);
    expect(kinds('push')).toEqual(['image:registry.local/app:1']);
  });
});
