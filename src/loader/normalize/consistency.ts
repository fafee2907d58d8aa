import type { Service } from '../../model/project.js';
import type { Problems } from './problems.js';

/**
 * Checks across the attributes of normalized services that no single rule can make, each
 * reported at the attribute concerned: a `container_name` is unique, so it excludes a scale
 * above one and another service with the same name; a healthcheck cannot both run a test and
 * be disabled; mount targets are absolute paths in the container.
 */
export function checkConsistency(services: Record<string, Service>, problems: Problems): void {
  const containerNames = new Map<string, string>();
  for (const [name, s] of Object.entries(services)) {
    const at = (...rest: Array<string | number>) => ['services', name, ...rest];
    if (s.container_name !== undefined) {
      if (s.scale > 1) {
        problems.add(
          at('container_name'),
          `container_name "${s.container_name}" cannot be used with a scale of ${s.scale}: names are unique`,
          name,
        );
      }
      const other = containerNames.get(s.container_name);
      if (other !== undefined) {
        problems.add(
          at('container_name'),
          `container_name "${s.container_name}" is already used by service "${other}"`,
          name,
        );
      } else {
        containerNames.set(s.container_name, name);
      }
    }
    const hc = s.healthcheck;
    if (hc?.disable && hc.test !== undefined && hc.test[0] !== 'NONE') {
      problems.add(at('healthcheck'), 'a healthcheck cannot set "test" and "disable: true" together', name);
    }
    s.volumes.forEach((v, i) => {
      if (!v.target.startsWith('/')) {
        problems.add(
          at('volumes', i),
          `mount target "${v.target}" must be an absolute path in the container`,
          name,
        );
      }
    });
  }
}
