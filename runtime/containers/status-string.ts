import type { ContainerStatus } from './state-machine.js';

/** What the human `Status` of `/containers/json` is built from. */
export interface StatusFacts {
  status: ContainerStatus;
  exitCode: number;
  startedAt: string;
  finishedAt: string;
  health?: 'starting' | 'healthy' | 'unhealthy' | 'none';
}

/**
 * A duration as Docker's `units.HumanDuration` says it: "Less than a second", "3 seconds",
 * "About a minute", "5 minutes", "About an hour", "3 hours", "2 days", "3 weeks", "4 months", "2 years".
 */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 1) return 'Less than a second';
  if (s === 1) return '1 second';
  if (s < 60) return `${s} seconds`;
  const m = Math.floor(s / 60);
  if (m === 1) return 'About a minute';
  if (m < 60) return `${m} minutes`;
  const h = Math.round(ms / 3_600_000);
  if (h === 1) return 'About an hour';
  if (h < 48) return `${h} hours`;
  if (h < 24 * 7 * 2) return `${Math.floor(h / 24)} days`;
  if (h < 24 * 30 * 2) return `${Math.floor(h / 24 / 7)} weeks`;
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24 / 30)} months`;
  return `${Math.floor(h / 24 / 365)} years`;
}

/** The server-built `Status` string of a container, as Docker's `State.String()`. */
export function statusString(f: StatusFacts, now: number): string {
  const since = (iso: string) => humanDuration(Math.max(0, now - Date.parse(iso)));
  switch (f.status) {
    case 'running': {
      const health =
        f.health && f.health !== 'none'
          ? ` (${f.health === 'starting' ? 'health: starting' : f.health})`
          : '';
      return `Up ${since(f.startedAt)}${health}`;
    }
    case 'paused':
      return `Up ${since(f.startedAt)} (Paused)`;
    case 'restarting':
      return `Restarting (${f.exitCode}) ${since(f.finishedAt)} ago`;
    case 'removing':
      return 'Removal In Progress';
    case 'dead':
      return 'Dead';
    case 'created':
      return 'Created';
    default:
      if (!f.finishedAt || f.finishedAt.startsWith('0001')) return '';
      return `Exited (${f.exitCode}) ${since(f.finishedAt)} ago`;
  }
}
