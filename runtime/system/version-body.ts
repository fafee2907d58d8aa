import { API_VERSION, MIN_API_VERSION } from '../server/api-version.js';
import { ENGINE_VERSION } from './engine-version.js';

/** Facts about the host that `/version` and `/info` report. */
export interface HostFacts {
  kernelVersion: string;
  /** Go's architecture name (`amd64`, `arm64`), which clients expect. */
  arch: string;
  /** `uname -m` (`x86_64`). */
  machine: string;
  operatingSystem: string;
  hostname: string;
  ncpu: number;
  memTotal: number;
}

/** Go's GOARCH for Node's `process.arch`. */
export function goArch(nodeArch: string): string {
  const map: Record<string, string> = {
    x64: 'amd64',
    ia32: '386',
    arm64: 'arm64',
    arm: 'arm',
    s390x: 's390x',
  };
  return map[nodeArch] ?? nodeArch;
}

/** The `/version` body in the Docker Engine API's shape. */
export function versionBody(facts: HostFacts, runtime: { name: string; version: string }) {
  const details = {
    ApiVersion: API_VERSION,
    Arch: facts.arch,
    BuildTime: '',
    Experimental: 'false',
    GitCommit: '',
    GoVersion: `node ${process.version}`,
    KernelVersion: facts.kernelVersion,
    MinAPIVersion: MIN_API_VERSION,
    Os: 'linux',
  };
  return {
    Platform: { Name: 'berth engine' },
    Components: [
      { Name: 'Engine', Version: ENGINE_VERSION, Details: details },
      { Name: runtime.name, Version: runtime.version, Details: { GitCommit: '' } },
    ],
    Version: ENGINE_VERSION,
    ApiVersion: API_VERSION,
    MinAPIVersion: MIN_API_VERSION,
    GitCommit: '',
    GoVersion: details.GoVersion,
    Os: 'linux',
    Arch: facts.arch,
    KernelVersion: facts.kernelVersion,
    BuildTime: '',
  };
}
