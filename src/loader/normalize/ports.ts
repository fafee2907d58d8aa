import type { ServicePort } from '../../model/project.js';
import { ValueError } from './problems.js';
import { asMapping, toInt, toStr } from './values.js';

/**
 * Ports, short syntax `[HOST_IP:][HOST_PORT[-END]:]CONTAINER_PORT[-END][/PROTOCOL]` (IPv6 host
 * addresses in brackets, `[::1]:80:80`) or long syntax, to one long-form entry per container
 * port: ranges are expanded pairwise; a single container port may publish to a host range.
 */
export function transformPort(value: unknown): ServicePort[] {
  if (typeof value === 'number')
    return [{ target: checkPort(value, value), protocol: 'tcp', mode: 'ingress' }];
  if (typeof value === 'string') return parseShortPort(value);
  return [parseLongPort(asMapping(value))];
}

function parseLongPort(p: Record<string, unknown>): ServicePort {
  if (p.target === undefined) throw new ValueError('"target" is required');
  const out: ServicePort = {
    target: checkPort(toInt(p.target), p.target),
    protocol: protocolOf(p.protocol === undefined ? 'tcp' : toStr(p.protocol)),
    mode: p.mode === 'host' ? 'host' : 'ingress',
  };
  if (p.published !== undefined && p.published !== '') out.published = parseRange(toStr(p.published)).text;
  if (p.host_ip !== undefined) out.host_ip = toStr(p.host_ip);
  if (p.name !== undefined) out.name = toStr(p.name);
  if (p.app_protocol !== undefined) out.app_protocol = toStr(p.app_protocol);
  return out;
}

function parseShortPort(spec: string): ServicePort[] {
  const slash = spec.lastIndexOf('/');
  const protocol = protocolOf(slash === -1 ? 'tcp' : spec.slice(slash + 1));
  const body = slash === -1 ? spec : spec.slice(0, slash);
  let hostIp: string | undefined;
  let rest = body;
  if (body.startsWith('[')) {
    const close = body.indexOf(']:');
    if (close === -1) throw new ValueError(`invalid port "${spec}": unclosed "[" around the host address`);
    hostIp = body.slice(1, close);
    rest = body.slice(close + 2);
  }
  const parts = rest.split(':');
  if (hostIp === undefined && parts.length > 3) {
    hostIp = parts.slice(0, -2).join(':');
    parts.splice(0, parts.length - 2);
  } else if (hostIp === undefined && parts.length === 3) {
    hostIp = parts.shift();
  }
  if (parts.length > 2 || (hostIp !== undefined && parts.length !== 2))
    throw new ValueError(`invalid port "${spec}"`);
  const container = parseRange(parts.at(-1) ?? '', spec);
  const host = parts.length === 2 && parts[0] !== '' ? parseRange(parts[0], spec) : undefined;
  const count = container.end - container.start + 1;
  const hostCount = host ? host.end - host.start + 1 : 0;
  if (host && count > 1 && hostCount !== count) {
    throw new ValueError(`invalid port "${spec}": host range and container range differ in size`);
  }
  const out: ServicePort[] = [];
  for (let i = 0; i < count; i++) {
    const port: ServicePort = { target: container.start + i, protocol, mode: 'ingress' };
    if (host) port.published = count > 1 ? String(host.start + i) : host.text;
    if (hostIp) port.host_ip = hostIp;
    out.push(port);
  }
  return out;
}

interface PortRange {
  start: number;
  end: number;
  text: string;
}

function parseRange(text: string, spec = text): PortRange {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  if (!m) throw new ValueError(`invalid port "${spec}"`);
  const start = checkPort(Number(m[1]), spec);
  const end = m[2] === undefined ? start : checkPort(Number(m[2]), spec);
  if (end < start) throw new ValueError(`invalid port range "${text}"`);
  return { start, end, text: start === end ? String(start) : `${start}-${end}` };
}

function checkPort(n: number, spec: unknown): number {
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new ValueError(`invalid port "${spec}": out of range`);
  return n;
}

function protocolOf(p: string): ServicePort['protocol'] {
  const lower = p.toLowerCase();
  if (lower === 'tcp' || lower === 'udp' || lower === 'sctp') return lower;
  throw new ValueError(`invalid protocol "${p}": must be tcp, udp or sctp`);
}
