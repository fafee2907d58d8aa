import type { Project, Service } from '../../../src/model/project.js';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';
import { project, service } from '../../unit/reconcile/fixtures.js';

/** A service of the test image: canonical model fields, overridden by `fields`. */
export function testService(name: string, fields: Partial<Service> = {}): Service {
  return service(name, { image: TEST_IMAGE, ...fields });
}

/** A project model named `name` with the given services and a `<name>_default` network. */
export function testProject(name: string, services: Service[], extra: Partial<Project> = {}): Project {
  const p = project(services, extra);
  p.name = name;
  p.working_dir = '/tmp';
  p.config_files = [];
  p.networks = {
    default: { name: `${name}_default`, driver_opts: {}, labels: {}, extensions: {} },
    ...extra.networks,
  };
  for (const v of Object.values(p.volumes)) v.name = v.name.replace(/^demo_/, `${name}_`);
  return p;
}

/** `sh -c <script>` as a command. */
export function sh(script: string): string[] {
  return ['sh', '-c', script];
}
