import type { Service } from '../model/project.js';
import { configDiff, type FieldChange } from './config-hash.js';
import type { DesiredIdentity } from './container-labels.js';
import { Label } from './labels.js';
import { isLive, type ObservedContainer } from './observed-state.js';
import type { ReconcileRun } from './reconcile-context.js';

/** Why a container must be recreated, and for a changed configuration, what changed. */
export interface RecreateReason {
  cause: string;
  diff?: FieldChange[];
}

/**
 * Whether an existing container must be recreated, as Compose decides it: always with
 * `--force-recreate`, never with `--no-recreate`; otherwise when a namespace parent is
 * recreated, a recreate was interrupted, the config hash differs (naming the changed fields),
 * one of its networks is re-created, or it misses a network it should be on.
 */
export function recreateReason(
  run: ReconcileRun,
  facts: { service: Service; identity: DesiredIdentity; forcedCause?: string },
  c: ObservedContainer,
): RecreateReason | undefined {
  const policy = run.options.recreate ?? 'diverged';
  if (policy === 'never') return undefined;
  if (policy === 'force') return { cause: 'forced recreate' };
  if (facts.forcedCause) return { cause: facts.forcedCause };
  if (/^[0-9a-f]{12}_/.test(c.name)) return { cause: 'interrupted recreate' };
  if (c.labels[Label.configHash] !== facts.identity.hash) {
    const before = parseConfig(c.labels[Label.config]);
    const diff = before ? configDiff(before, facts.identity.config) : [];
    const fields = diff.map((d) => d.field);
    if (fields.length === 1 && fields[0] === 'image_id') {
      return { cause: facts.service.build ? 'image rebuilt' : 'image changed', diff };
    }
    return { cause: fields.length ? `config changed: ${fields.join(', ')}` : 'config changed', diff };
  }
  if (c.networks.some((n) => run.networkRemovals.has(n))) return { cause: 'network changed' };
  if (isLive(c)) {
    const expected = Object.keys(facts.service.networks).map((k) => run.project.networks[k]?.name ?? k);
    const missing = expected.filter((n) => !c.networks.includes(n));
    if (missing.length) return { cause: `network missing: ${missing.join(', ')}` };
  }
  return undefined;
}

function parseConfig(label: string | undefined): Record<string, unknown> | undefined {
  if (!label) return undefined;
  try {
    return JSON.parse(label) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
