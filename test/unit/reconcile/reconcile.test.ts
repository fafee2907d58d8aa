import { describe, expect, it } from 'vitest';
import type { Service } from '../../../src/model/project.js';
import { Label } from '../../../src/reconcile/labels.js';
import { isEmptyPlan, OperationType, renderPlan, renderPlanDiff } from '../../../src/reconcile/plan.js';
import { reconcile } from '../../../src/reconcile/reconcile.js';
import { buildConfig, convergedState, images, project, runningContainer, service } from './fixtures.js';
import { expectGolden } from './golden.js';

const IMAGE = 'berth-test/busybox:latest';
const IDS = { [IMAGE]: 'sha256:aaaa' };

function webAndDb(web: Partial<Service> = {}, db: Partial<Service> = {}) {
  return project(
    [
      service('db', {
        image: IMAGE,
        healthcheck: { test: ['CMD', 'true'], interval: 1e9 },
        volumes: [{ type: 'volume', source: 'data', target: '/data' }],
        ...db,
      }),
      service('web', {
        image: IMAGE,
        ports: [{ target: 80, published: '8080', host_ip: '127.0.0.1', protocol: 'tcp', mode: 'ingress' }],
        depends_on: { db: { condition: 'service_healthy', required: true, restart: false } },
        environment: { FOO: 'one' },
        ...web,
      }),
    ],
    { volumes: { data: { name: 'demo_data', driver_opts: {}, labels: {}, extensions: {} } } },
  );
}

describe('reconcile', () => {
  it('plans a fresh stack: network, volume, containers, start db, wait healthy, start web', () => {
    const plan = reconcile(webAndDb(), { containers: [], networks: {}, volumes: {}, images: images(IDS) });
    expectGolden('plans/fresh-stack.txt', renderPlan(plan));
  });

  it('pulls a missing image before creating the containers that use it', () => {
    const plan = reconcile(webAndDb(), { containers: [], networks: {}, volumes: {}, images: {} });
    expectGolden('plans/fresh-stack-pull.txt', renderPlan(plan));
  });

  it('plans nothing when the stack already converged', () => {
    const p = webAndDb();
    expect(isEmptyPlan(reconcile(p, convergedState(p, IDS)))).toBe(true);
  });

  it('recreates exactly the container whose environment changed, naming the variable', () => {
    const observed = convergedState(webAndDb(), IDS);
    const plan = reconcile(webAndDb({ environment: { FOO: 'two' } }), observed);
    expectGolden('plans/one-changed-field.txt', renderPlan(plan));
    expect(renderPlanDiff(plan)).toBe('service:web:1\n  environment.FOO: "one" -> "two"\n');
  });

  it('recreates the containers of a service whose image was rebuilt', () => {
    const build = buildConfig('/srv/demo/app');
    const p = project([service('app', { build })]);
    const observed = convergedState(p, { 'demo-app': 'sha256:old' });
    observed.images = images({ 'demo-app': 'sha256:new' });
    expectGolden('plans/image-rebuilt.txt', renderPlan(reconcile(p, observed)));
  });

  it('creates the missing replicas on scale up and removes the highest on scale down', () => {
    const p = project([service('web', { image: IMAGE })]);
    const up = reconcile(p, convergedState(p, IDS), { scale: { web: 3 } });
    expectGolden('plans/scale-up.txt', renderPlan(up));
    const three = project([service('web', { image: IMAGE, scale: 3 })]);
    const down = reconcile(p, convergedState(three, IDS));
    expectGolden('plans/scale-down.txt', renderPlan(down));
  });

  it('reports orphans, and removes them with --remove-orphans', () => {
    const p = project([service('web', { image: IMAGE })]);
    const observed = convergedState(
      project([service('web', { image: IMAGE }), service('old', { image: IMAGE })]),
      IDS,
    );
    expectGolden('plans/orphans-warned.txt', renderPlan(reconcile(p, observed)));
    expectGolden('plans/orphans-removed.txt', renderPlan(reconcile(p, observed, { removeOrphans: true })));
  });

  it('restarts a dependent with restart: true when its dependency is recreated', () => {
    const dep = { db: { condition: 'service_started' as const, required: true, restart: true } };
    const before = webAndDb({ depends_on: dep });
    const after = webAndDb({ depends_on: dep }, { environment: { PGDATA: '/data/pg' } });
    expectGolden('plans/dependency-restart.txt', renderPlan(reconcile(after, convergedState(before, IDS))));
  });

  it('recreates a changed network and the containers attached to it', () => {
    const p = project([service('web', { image: IMAGE })]);
    const observed = convergedState(p, IDS);
    observed.networks.demo_default.labels[Label.configHash] = 'stale';
    expectGolden('plans/network-changed.txt', renderPlan(reconcile(p, observed)));
  });

  it('recreates everything with --force-recreate and nothing with --no-recreate', () => {
    const observed = convergedState(webAndDb(), IDS);
    const changed = webAndDb({ environment: { FOO: 'two' } });
    expect(isEmptyPlan(reconcile(changed, observed, { recreate: 'never' }))).toBe(true);
    expectGolden(
      'plans/force-recreate.txt',
      renderPlan(reconcile(webAndDb(), observed, { recreate: 'force' })),
    );
  });

  it('starts a stopped container, waiting for its dependency to complete', () => {
    const p = project([
      service('migrate', { image: IMAGE, command: ['true'] }),
      service('app', {
        image: IMAGE,
        depends_on: {
          migrate: { condition: 'service_completed_successfully', required: true, restart: false },
        },
      }),
    ]);
    const observed = convergedState(p, IDS);
    for (const c of observed.containers) c.state = 'exited';
    expectGolden('plans/start-stopped.txt', renderPlan(reconcile(p, observed)));
  });

  it('--no-deps: acts on the selected service alone and waits for no dependency outside it', () => {
    const p = webAndDb();
    const plan = reconcile(
      p,
      { containers: [], networks: {}, volumes: {}, images: images(IDS) },
      { services: ['web'], noDeps: true },
    );
    expectGolden('plans/no-deps.txt', renderPlan(plan));
  });

  it('--pull always pulls a present image first; --pull never plans no pull and warns', () => {
    const p = webAndDb();
    const observed = { containers: [], networks: {}, volumes: {}, images: images(IDS) };
    expectGolden('plans/pull-always.txt', renderPlan(reconcile(p, observed, { pull: 'always' })));
    const never = reconcile(p, { ...observed, images: {} }, { pull: 'never' });
    expect(never.nodes.filter((n) => n.operation.type === OperationType.PullImage)).toEqual([]);
    expect(never.warnings).toEqual([
      'service "db": image berth-test/busybox:latest is not present and will not be pulled',
      'service "web": image berth-test/busybox:latest is not present and will not be pulled',
    ]);
  });

  it('acts only on the selected services and their dependencies', () => {
    const p = project([
      service('a', { image: IMAGE }),
      service('b', { image: IMAGE }),
      service('c', { image: IMAGE, links: ['a'] }),
    ]);
    const plan = reconcile(
      p,
      { containers: [], networks: {}, volumes: {}, images: images(IDS) },
      { services: ['c'] },
    );
    expectGolden('plans/selected-services.txt', renderPlan(plan));
  });

  it("keeps a recreated container's anonymous volumes", () => {
    const p = project([service('web', { image: IMAGE, volumes: [{ type: 'volume', target: '/cache' }] })]);
    const observed = convergedState(p, IDS);
    const c = observed.containers[0];
    c.mounts = [{ type: 'volume', name: 'anon123', destination: '/cache' }];
    const plan = reconcile(
      project([service('web', { image: IMAGE, user: 'nobody', volumes: p.services.web.volumes })]),
      observed,
    );
    const create = plan.nodes.find((n) => n.operation.type === 7)!.operation as {
      body: { HostConfig: unknown };
    };
    expect(create.body.HostConfig).toMatchObject({
      Mounts: [{ Type: 'volume', Source: 'anon123', Target: '/cache' }],
    });
    expect(runningContainer).toBeDefined();
  });
});
