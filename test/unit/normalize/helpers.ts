import { parse } from 'yaml';
import type { NormalizeContext } from '../../../src/loader/normalize/context.js';
import { normalizeProject } from '../../../src/loader/normalize/index.js';
import { PositionIndex } from '../../../src/loader/tree-path.js';
import type { Project, Service } from '../../../src/model/project.js';

/** A normalization context for inline trees: project `demo` in /srv/demo, HOME=/home/me. */
export function context(overrides: Partial<NormalizeContext> = {}): NormalizeContext {
  return {
    projectName: 'demo',
    workingDir: '/srv/demo',
    configFiles: ['/srv/demo/compose.yaml'],
    environment: { HOME: '/home/me' },
    profiles: [],
    positions: new PositionIndex(),
    readEnvFile: () => undefined,
    ...overrides,
  };
}

/** Normalizes inline YAML. */
export function load(yaml: string, overrides: Partial<NormalizeContext> = {}): Project {
  return normalizeProject(parse(yaml), context(overrides));
}

/** Normalizes a one-service stack given the service's YAML body (as a flow mapping). */
export function service(body: string, overrides: Partial<NormalizeContext> = {}): Service {
  return load(`services: { s: ${body} }`, overrides).services.s;
}

/** The rendered problem lines of a failing normalization. */
export function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    const e = err as { message: string; details?: { message: string; context: { path?: string } }[] };
    const list = e.details && e.details.length > 0 ? e.details : [e as never];
    return list.map((d: { message: string; context: { path?: string } }) =>
      d.context.path ? `${d.context.path}: ${d.message}` : d.message,
    );
  }
  throw new Error('expected a failure');
}
