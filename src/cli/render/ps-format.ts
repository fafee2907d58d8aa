import type { ContainerInfo } from '../../project/options.js';

/** `127.0.0.1:8080->80/tcp, 9000/tcp` */
export function formatPorts(c: ContainerInfo): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const p of c.ports) {
    const text = p.publishedPort
      ? `${p.url ?? '0.0.0.0'}:${p.publishedPort}->${p.targetPort}/${p.protocol}`
      : `${p.targetPort}/${p.protocol}`;
    if (!seen.has(text)) out.push(text);
    seen.add(text);
  }
  return out.join(', ');
}

/** A left-aligned text table with a header row, columns separated by three spaces. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('   ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** `ps` as a table: NAME IMAGE COMMAND SERVICE CREATED STATUS PORTS. */
export function psTable(containers: ContainerInfo[], now: number): string {
  const rows = containers.map((c) => [
    c.name,
    c.image,
    JSON.stringify(c.command.length > 30 ? `${c.command.slice(0, 29)}…` : c.command),
    c.service,
    runningFor(c, now),
    c.status,
    formatPorts(c),
  ]);
  return textTable(['NAME', 'IMAGE', 'COMMAND', 'SERVICE', 'CREATED', 'STATUS', 'PORTS'], rows);
}

/**
 * One line of `ps --format json`, as docker compose v2 writes it: its container formatter's
 * fields with their values as they render (the ID cut to 12 characters, the command quoted and
 * cut, labels, mounts, names and networks comma-joined, keys in alphabetical order), plus
 * `Created` in Unix seconds, which earlier v2 releases gave. `now` and `timeZone` make it pure.
 */
export function psJson(c: ContainerInfo, now: number, timeZone?: string): string {
  const fields: Record<string, unknown> = {
    Command: JSON.stringify(ellipsis(c.command, 20)),
    Created: c.created,
    CreatedAt: goTimeString(c.created * 1000, timeZone),
    ExitCode: c.exitCode ?? 0,
    Health: c.health,
    ID: c.id.slice(0, 12),
    Image: c.image,
    Labels: Object.keys(c.labels)
      .sort()
      .map((k) => `${k}=${c.labels[k]}`)
      .join(','),
    LocalVolumes: String(c.localVolumes),
    Mounts: c.mounts.map((m) => ellipsis(m, 15)).join(','),
    Name: c.name,
    Names: c.names.join(','),
    Networks: c.networks.join(','),
    Ports: formatPorts(c),
    Project: c.project,
    Publishers: [...c.ports]
      .sort((a, b) => a.targetPort - b.targetPort)
      .map((p) => ({
        URL: p.url ?? '',
        TargetPort: p.targetPort,
        PublishedPort: p.publishedPort ?? 0,
        Protocol: p.protocol,
      })),
    RunningFor: runningFor(c, now),
    Service: c.service,
    // Compose lists without sizes, so its Size is that of nothing measured.
    Size: '0B',
    State: c.state,
    Status: c.status,
  };
  return JSON.stringify(fields);
}

/** `s` cut to `width` characters, the last one an ellipsis, as the docker CLI's formatter does. */
function ellipsis(s: string, width: number): string {
  const chars = [...s];
  return chars.length <= width ? s : `${chars.slice(0, width - 1).join('')}…`;
}

/** `2 minutes ago`: how long since the container was created, in Docker's words. */
function runningFor(c: ContainerInfo, now: number): string {
  return `${humanDuration(now / 1000 - c.created)} ago`;
}

/** Docker's human durations (go-units' HumanDuration). */
export function humanDuration(secs: number): string {
  const seconds = Math.floor(secs);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(secs / 60);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.floor(secs / 3600 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(secs / 3600 / 24 / 365)} years`;
}

/** Go's `time.Time.String()` in local time: `2026-11-22 15:04:05 +0000 UTC`. */
export function goTimeString(ms: number, timeZone?: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'longOffset',
    })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  const offset = /GMT([+-]\d\d):?(\d\d)/.exec(parts.timeZoneName ?? '');
  const zone = offset ? `${offset[1]}${offset[2]}` : '+0000';
  // Locales know different abbreviations (en-US: EST, en-GB: CET); the first real one wins.
  const abbrev =
    ['en-US', 'en-GB']
      .map(
        (locale) =>
          new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' })
            .formatToParts(new Date(ms))
            .find((p) => p.type === 'timeZoneName')?.value ?? 'UTC',
      )
      .find((a) => !/^GMT[+-]/.test(a)) ?? 'GMT+';
  // Zones without an abbreviation are named by their offset, as in the tz database (`+01`, `+0530`).
  const name = /^GMT[+-]/.test(abbrev) ? zone.replace(/00$/, '') : abbrev;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${zone} ${name}`;
}
