import type { Project } from '../model/project.js';
import { serviceImage } from './image-ref.js';
import { OperationType, type Plan, PlanBuilder } from './plan.js';

/** Options of `pull`, `build` and `push`. */
export interface ImageCommandOptions {
  services?: string[];
  /** `build --no-cache`. */
  noCache?: boolean;
  /** `build --pull`. */
  pull?: boolean;
  /** `build --build-arg`. */
  buildArgs?: Record<string, string>;
}

/**
 * The plan of `pull` (services with an `image:` and no `build:`, or whose pull policy is not
 * `build`), `build` (services with `build:`) or `push` (services with both `build:` and
 * `image:`). One node per distinct image; all independent, so they run in parallel.
 */
export function planImages(
  project: Project,
  kind: 'pull' | 'build' | 'push',
  options: ImageCommandOptions = {},
): Plan {
  const plan = new PlanBuilder();
  const seen = new Set<string>();
  const names = options.services?.length ? options.services : Object.keys(project.services).sort();
  for (const name of names) {
    const s = project.services[name];
    if (!s) continue;
    const image = serviceImage(project, s);
    if (seen.has(image)) continue;
    const base = { resource: `image:${image}`, cause: kind, service: name };
    if (kind === 'pull' && s.image && (!s.build || s.pull_policy !== 'build')) {
      plan.add({ ...base, type: OperationType.PullImage, image });
    } else if (kind === 'build' && s.build) {
      plan.add({
        ...base,
        type: OperationType.BuildImage,
        image,
        build: s.build,
        noCache: options.noCache,
        pull: options.pull,
        args: options.buildArgs,
      });
    } else if (kind === 'push' && s.build && s.image) {
      plan.add({ ...base, type: OperationType.PushImage, image });
    } else continue;
    seen.add(image);
  }
  return plan.build();
}
