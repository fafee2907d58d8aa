import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startEmbeddedEngine } from '../test/support/embedded-engine.js';

/**
 * Engine startup time and idle memory: the time from spawning the daemon to its first `/_ping`
 * answer (what auto-start costs a command), its resident set right after it answers, after it
 * settles, and after a burst of API calls (ping, version, info, volume list), beside the
 * Docker daemon's (dockerd alone, without containerd) for scale. Target: under 80 MB idle.
 * Prints a markdown table; asserts nothing.
 */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

function dockerdPid(): number | undefined {
  try {
    return (
      Number(execFileSync('pidof', ['dockerd'], { encoding: 'utf8' }).trim().split(/\s+/)[0]) || undefined
    );
  } catch {
    return undefined;
  }
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));
const launched = process.hrtime.bigint();
const engine = await startEmbeddedEngine();
const startupMs = Number(process.hrtime.bigint() - launched) / 1e6;
const rows: Array<[string, string]> = [];
try {
  rows.push(['engine start to first /_ping answer (fresh data root)', `${startupMs.toFixed(0)} ms`]);
  rows.push(['embedded engine RSS, just answering', `${rssMb(engine.pid).toFixed(1)} MB`]);
  await settle(3000);
  rows.push(['embedded engine RSS, idle 3 s', `${rssMb(engine.pid).toFixed(1)} MB`]);
  const started = process.hrtime.bigint();
  for (let i = 0; i < 250; i++) {
    await engine.client.request('HEAD', '/_ping');
    await engine.client.request('GET', '/version');
    await engine.client.request('GET', '/info');
    await engine.client.request('GET', '/volumes');
  }
  const perCall = Number(process.hrtime.bigint() - started) / 1e6 / 1000;
  rows.push(['embedded engine RSS, after 1,000 API calls', `${rssMb(engine.pid).toFixed(1)} MB`]);
  rows.push(['mean API call (ping/version/info/volumes, sequential)', `${perCall.toFixed(2)} ms`]);
  const dockerd = dockerdPid();
  if (dockerd)
    rows.push(['dockerd RSS (for scale; containerd not counted)', `${rssMb(dockerd).toFixed(1)} MB`]);
} finally {
  await engine.stop();
}
process.stdout.write('| measure | value |\n|---|---|\n');
for (const [k, v] of rows) process.stdout.write(`| ${k} | ${v} |\n`);
