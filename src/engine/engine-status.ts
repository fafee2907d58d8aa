import { EngineClient } from '../client/engine-client.js';
import { runningEnginePid } from './daemon-control.js';
import type { EngineLocation } from './engine-location.js';

/** What `berth engine status` reports. */
export interface EngineStatus {
  running: boolean;
  pid?: number;
  host: string;
  dataRoot: string;
  /** Present when the engine answers. */
  version?: string;
  apiVersion?: string;
  runtime?: string;
  containers?: { total: number; running: number; paused: number; stopped: number };
  images?: number;
  volumes?: number;
  /** What the engine warns about (e.g. why crun was passed over). */
  warnings?: string[];
}

/** Asks the engine at the location how it is; an engine that does not answer is `running: false`. */
export async function engineStatus(location: EngineLocation): Promise<EngineStatus> {
  const pid = await runningEnginePid(location);
  const base: EngineStatus = { running: false, pid, host: location.host, dataRoot: location.dataRoot };
  const client = new EngineClient({ host: location.host, timeouts: { connect: 2000, metadata: 5000 } });
  try {
    const [version, info, volumes] = await Promise.all([
      client.system.version(),
      client.system.info(),
      client.volumes.list(),
    ]);
    const n = (v: unknown) => (typeof v === 'number' ? v : 0);
    return {
      ...base,
      running: true,
      version: String(version.Version ?? ''),
      apiVersion: String(version.ApiVersion ?? ''),
      runtime: info.DefaultRuntime,
      containers: {
        total: info.Containers,
        running: n(info.ContainersRunning),
        paused: n(info.ContainersPaused),
        stopped: n(info.ContainersStopped),
      },
      images: info.Images,
      volumes: volumes.Volumes?.length ?? 0,
      warnings: Array.isArray(info.Warnings) ? info.Warnings.map(String) : [],
    };
  } catch {
    return base;
  } finally {
    client.close();
  }
}

/** The status as `key: value` lines. */
export function renderEngineStatus(s: EngineStatus): string {
  const lines = [
    ['status', s.running ? 'running' : 'not running'],
    ['pid', s.pid === undefined ? '-' : String(s.pid)],
    ['host', s.host],
    ['data root', s.dataRoot],
  ];
  if (s.running) {
    const c = s.containers!;
    lines.push(
      ['version', `${s.version} (API ${s.apiVersion})`],
      ['OCI runtime', s.runtime ?? '-'],
      ['containers', `${c.total} (${c.running} running, ${c.paused} paused, ${c.stopped} stopped)`],
      ['images', String(s.images)],
      ['volumes', String(s.volumes)],
    );
  }
  for (const w of s.warnings ?? []) lines.push(['warning', w]);
  return lines.map(([k, v]) => `${`${k}:`.padEnd(12)} ${v}`).join('\n');
}
