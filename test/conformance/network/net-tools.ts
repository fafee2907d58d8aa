import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect, createServer } from 'node:net';
import type { ContainerNetworkView } from '../../../runtime/contracts.js';
import { firewallRulesNamed } from '../../support/leak-check.js';

/** Helpers shared by the network conformance, e2e and bench code. */

/** A container's network view with defaults (a fresh random ID, the default bridge). */
export function newView(name: string, patch: Partial<ContainerNetworkView> = {}): ContainerNetworkView {
  const id = randomBytes(32).toString('hex');
  return {
    id,
    name,
    hostname: id.slice(0, 12),
    networkMode: 'bridge',
    endpoints: {},
    portBindings: {},
    publishAllPorts: false,
    exposedPorts: [],
    extraHosts: [],
    links: [],
    dns: [],
    dnsSearch: [],
    dnsOptions: [],
    labels: {},
    ...patch,
  };
}

/** A TCP port free on 127.0.0.1 right now (the kernel picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** An HTTP/1.0 GET over raw TCP; '' on failure or timeout. */
export function httpGet(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const sock = connect({ host, port }, () => sock.end('GET / HTTP/1.0\r\n\r\n'));
    let text = '';
    sock.setTimeout(2000, () => sock.destroy());
    sock.on('data', (d) => {
      text += d.toString();
    });
    sock.on('close', () => resolve(text));
    sock.on('error', () => resolve(''));
  });
}

/** `docker run` arguments for a busybox httpd serving `www` (mounted read-only at /www) on port 80. */
export function httpdArgs(image: string, www: string): string[] {
  return ['-v', `${www}:/www:ro`, image, 'httpd', '-f', '-p', '80', '-h', '/www'];
}

/** What of an engine's network plumbing (named by its bridge or a prefix) is still on the machine. */
export function plumbingLeft(name: string): string[] {
  const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
  return [...links.split('\n').filter((l) => l.includes(` ${name}:`)), ...firewallRulesNamed(name)];
}

/** A compose file: `web` (busybox httpd serving `www`, published on 127.0.0.1:`port`) and `client`. */
export function twoServiceStack(image: string, www: string, port: number): string {
  return [
    "version: '3.8'",
    'services:',
    '  web:',
    `    image: ${image}`,
    '    command: httpd -f -p 80 -h /www',
    `    volumes: ['${www}:/www:ro']`,
    `    ports: ['127.0.0.1:${port}:80']`,
    '  client:',
    `    image: ${image}`,
    '    command: sleep 300',
    '',
  ].join('\n');
}
