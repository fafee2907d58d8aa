import { BerthError } from '../../errors/kinds.js';
import { emptyService } from '../../model/empty-service.js';
import type { Service } from '../../model/project.js';
import { matchesPattern, type TreePath } from '../tree-path.js';
import type { NormalizeContext } from './context.js';
import { foldReplicas, foldResources } from './deploy.js';
import { type Problems, ValueError } from './problems.js';
import { type RuleScope, SERVICE_RULES } from './service-rules.js';
import type { PathResolver } from './volumes.js';

/**
 * SERVICE_RULES by attribute name. The table is keyed by path patterns (`services.*.ports`);
 * matching each attribute of each service against every pattern costs more than the rules
 * themselves on large stacks, so the patterns are resolved once here.
 */
const RULES_BY_ATTRIBUTE = new Map(
  Object.entries(SERVICE_RULES).map(([pattern, rule]) => [
    pattern.split('.').at(-1) ?? '',
    { pattern, rule },
  ]),
);

function ruleFor(path: TreePath) {
  const entry = RULES_BY_ATTRIBUTE.get(String(path.at(-1)));
  return entry && matchesPattern(path, entry.pattern) ? entry.rule : undefined;
}

/**
 * Normalizes one service through SERVICE_RULES (keyed `services.*.<attribute>`); attributes
 * without a rule and `x-*` keys are kept as written in `extensions`. Bad values are recorded in
 * `problems` at their path and the attribute is left out.
 */
export function normalizeService(
  name: string,
  raw: Record<string, unknown>,
  ctx: NormalizeContext,
  paths: PathResolver,
  problems: Problems,
): Service {
  const service = emptyService(name);
  const base: TreePath = ['services', name];
  const record = (path: TreePath, err: unknown) => {
    if (err instanceof ValueError) problems.add(path, err.message, name);
    else if (err instanceof BerthError) problems.addError(err);
    else throw err;
  };
  for (const [key, value] of Object.entries(raw)) {
    const path = [...base, key];
    const rule = key.startsWith('x-') ? undefined : ruleFor(path);
    if (!rule) {
      if (key !== 'extends') service.extensions[key] = value;
      continue;
    }
    const scope: RuleScope = {
      service,
      path,
      ctx,
      paths,
      problems,
      each: (list, fn) => {
        const out: ReturnType<typeof fn>[] = [];
        (Array.isArray(list) ? list : []).forEach((item, i) => {
          try {
            out.push(fn(item, i));
          } catch (err) {
            record([...path, i], err);
          }
        });
        return out;
      },
    };
    try {
      rule(value, scope);
    } catch (err) {
      record(path, err);
    }
  }
  foldReplicas(service, raw, base, problems);
  foldResources(service, base, problems);
  if (service.network_mode !== undefined) service.networks = {};
  return service;
}
