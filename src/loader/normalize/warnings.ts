import type { Project } from '../../model/project.js';
import { formatPath, formatPosition, type TreePath } from '../tree-path.js';
import type { NormalizeContext } from './context.js';

/**
 * Warnings Compose also gives: the obsolete top-level `version`, and optional dependencies
 * (`required: false`) on services that are missing or disabled by profiles, which are skipped.
 */
export function warnAbout(tree: Record<string, unknown>, project: Project, ctx: NormalizeContext): void {
  const warn = ctx.warn;
  if (!warn) return;
  const at = (path: TreePath, message: string) => {
    const pos = ctx.positions.get(path);
    warn(`${pos ? `${formatPosition(pos)} ` : ''}${formatPath(path)}: ${message}`);
  };
  if (tree.version !== undefined) at(['version'], 'the attribute is obsolete and ignored; remove it');
  for (const service of Object.values(project.services)) {
    for (const [name, dep] of Object.entries(service.depends_on)) {
      if (dep.required || Object.hasOwn(project.services, name)) continue;
      const why = Object.hasOwn(project.disabled_services, name) ? 'disabled by its profiles' : 'not defined';
      at(['services', service.name, 'depends_on', name], `optional dependency "${name}" is ${why}; skipped`);
    }
  }
}
