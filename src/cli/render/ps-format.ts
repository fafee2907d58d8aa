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
    ago(now / 1000 - c.created),
    c.status,
    formatPorts(c),
  ]);
  return textTable(['NAME', 'IMAGE', 'COMMAND', 'SERVICE', 'CREATED', 'STATUS', 'PORTS'], rows);
}

/** Compose's JSON shape for `ps --format json` (one object per line). */
export function psJson(c: ContainerInfo): string {
  return JSON.stringify({
    ID: c.id,
    Name: c.name,
    Image: c.image,
    Command: c.command,
    Service: c.service,
    Created: c.created,
    State: c.state,
    Status: c.status,
    Health: c.health,
    ExitCode: c.exitCode ?? 0,
    Publishers: c.ports.map((p) => ({
      URL: p.url ?? '',
      TargetPort: p.targetPort,
      PublishedPort: p.publishedPort ?? 0,
      Protocol: p.protocol,
    })),
  });
}

function ago(secs: number): string {
  if (secs < 60) return `${Math.max(1, Math.floor(secs))} seconds ago`;
  if (secs < 3600) return `${Math.floor(secs / 60)} minutes ago`;
  if (secs < 86400) return `${Math.floor(secs / 3600)} hours ago`;
  return `${Math.floor(secs / 86400)} days ago`;
}
