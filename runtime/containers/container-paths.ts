import { join } from 'node:path';

/** Where a container's files live: state and bundle under the data root, run files under the run root. */
export interface ContainerPaths {
  dir: string;
  state: string;
  /** The OCI bundle is the container's directory: config.json beside rootfs/. */
  bundle: string;
  rootfs: string;
  hosts: string;
  hostname: string;
  resolvConf: string;
  log: string;
  exitDir: string;
  exitFile: string;
  persistDir: string;
  pidFile: string;
  conmonPidFile: string;
}

/** The containers directory under the data root. */
export const containersDir = (dataRoot: string) => join(dataRoot, 'containers');

/** Every path of container `id`. */
export function containerPaths(dataRoot: string, runRoot: string, id: string): ContainerPaths {
  const dir = join(containersDir(dataRoot), id);
  const run = join(runRoot, 'containers', id);
  return {
    dir,
    state: join(dir, 'state.json'),
    bundle: dir,
    rootfs: join(dir, 'rootfs'),
    hosts: join(dir, 'hosts'),
    hostname: join(dir, 'hostname'),
    resolvConf: join(dir, 'resolv.conf'),
    log: join(dir, 'container.log'),
    // Exit records must survive an engine restart (not a reboot: then the container is gone too).
    exitDir: join(dir, 'exit'),
    exitFile: join(dir, 'exit', id),
    persistDir: join(dir, 'persist'),
    pidFile: join(run, 'pid'),
    conmonPidFile: join(run, 'conmon.pid'),
  };
}
