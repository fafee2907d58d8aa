import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNetHarness } from '../test/conformance/network/harness.js';
import { busyboxRootfsTar } from '../test/support/busybox-rootfs.js';

/**
 * Network benchmarks (root): container network setup time against a bare namespace, published-port
 * TCP throughput and connection rate against the same container reached on its own address and
 * against the Docker daemon's published port, and embedded DNS lookup latency. Uses `wrk`.
 * Prints a markdown table; asserts nothing.
 */
const dir = mkdtempSync(join(tmpdir(), 'berth-bench-net-'));
const rows: Array<[string, string]> = [];
/** The Docker daemon beside us, whatever DOCKER_HOST says. */
const DOCKERD = ['-H', 'unix:///var/run/docker.sock'];
const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' });

/** Best of three wrk runs (the machine is shared, so the best run is the least disturbed). */
function wrk(url: string, close: boolean, netns?: string): [number, number] {
  const runs = [wrkOnce(url, close, netns), wrkOnce(url, close, netns), wrkOnce(url, close, netns)];
  return runs.reduce((best, r) => (r[0] > best[0] ? r : best));
}

/** Runs wrk once; returns [requests/s, transfer MB/s]. */
function wrkOnce(url: string, close: boolean, netns?: string): [number, number] {
  const headers = close ? ['-H', 'Connection: close'] : [];
  const args = ['-t2', '-c16', '-d3s', ...headers, url];
  const out = netns ? sh('nsenter', [`--net=${netns}`, 'wrk', ...args]) : sh('wrk', args);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const m = /Transfer\/sec:\s+([\d.]+)(\w+)/.exec(out);
  const scale: Record<string, number> = { B: 1 / 1e6, KB: 1 / 1024, MB: 1, GB: 1024 };
  return [rps, Number(m?.[1] ?? 0) * (scale[m?.[2] ?? 'MB'] ?? 1)];
}

const h = await startNetHarness();
const svc = h.svc;
const tag = h.tag;
try {
  await svc.createNetwork({ Name: `${tag}-bench` });
  const www = join(dir, 'www');
  execFileSync('mkdir', ['-p', www]);
  writeFileSync(join(www, 'index.html'), 'ok\n');
  writeFileSync(join(www, 'big'), Buffer.alloc(1 << 20, 7));

  // Setup time: attach+detach against creating and removing a bare namespace.
  const n = 10;
  let t = performance.now();
  for (let i = 0; i < n; i++) {
    const v = h.container(`${tag}-s${i}`, { networkMode: `${tag}-bench` });
    await svc.attach(v);
    await svc.detach(v.id);
  }
  const berthSetup = (performance.now() - t) / n;
  t = performance.now();
  for (let i = 0; i < n; i++) {
    const f = join(dir, `ns${i}`);
    writeFileSync(f, '');
    sh('unshare', [`--net=${f}`, 'true']);
    sh('umount', [f]);
  }
  const bareSetup = (performance.now() - t) / n;
  rows.push([
    'network setup + teardown, user network (ms)',
    `${berthSetup.toFixed(1)} (bare netns: ${bareSetup.toFixed(1)})`,
  ]);

  const port = 20000 + Math.floor(Math.random() * 9000);
  const web = h.container(`${tag}-web`, {
    networkMode: `${tag}-bench`,
    portBindings: {
      '80/tcp': [
        { HostIp: '127.0.0.1', HostPort: String(port) },
        { HostIp: '', HostPort: String(port + 2) },
      ],
    },
  });
  const att = await svc.attach(web);
  const ip = att.hosts[0]?.[0] ?? '';
  h.serve(att.netnsPath as string, ['httpd', '-f', '-p', '80', '-h', www]);
  await new Promise((r) => setTimeout(r, 500));
  const [pubRps, pubMBs] = wrk(`http://127.0.0.1:${port}/big`, false);
  const [dirRps, dirMBs] = wrk(`http://${ip}/big`, false);
  // Through a non-loopback host address (the gateway's): DNAT only, no localhost masquerade.
  const gateway = svc.network(`${tag}-bench`).gateway;
  const [gwRps, gwMBs] = wrk(`http://${gateway}:${port + 2}/big`, false);
  const [pubConn] = wrk(`http://127.0.0.1:${port}/`, true);
  const [dirConn] = wrk(`http://${ip}/`, true);
  rows.push([
    'TCP throughput 1 MiB GETs, published 127.0.0.1 (MB/s, req/s)',
    `${pubMBs.toFixed(0)}, ${pubRps.toFixed(0)}`,
  ]);
  rows.push([
    'TCP throughput 1 MiB GETs, published 0.0.0.0 via a host address (MB/s, req/s)',
    `${gwMBs.toFixed(0)}, ${gwRps.toFixed(0)}`,
  ]);
  rows.push([
    'TCP throughput 1 MiB GETs, direct container IP (MB/s, req/s)',
    `${dirMBs.toFixed(0)}, ${dirRps.toFixed(0)}`,
  ]);
  rows.push([
    'connection rate, published / direct (conn/s)',
    `${pubConn.toFixed(0)} / ${dirConn.toFixed(0)}`,
  ]);

  // The Docker daemon's published port for the same server (docker-proxy on 127.0.0.1).
  try {
    const image = `berth-bench/busybox:${tag}`;
    sh('docker', [...DOCKERD, 'import', busyboxRootfsTar(), image]);
    const dport = port + 1;
    const cid = sh('docker', [
      ...DOCKERD,
      'run',
      '-d',
      '--rm',
      '-p',
      `127.0.0.1:${dport}:80`,
      '-v',
      `${www}:/www:ro`,
      image,
      '/bin/busybox',
      'httpd',
      '-f',
      '-p',
      '80',
      '-h',
      '/www',
    ]).trim();
    try {
      await new Promise((r) => setTimeout(r, 1000));
      const [dRps, dMBs] = wrk(`http://127.0.0.1:${dport}/big`, false);
      const [dConn] = wrk(`http://127.0.0.1:${dport}/`, true);
      rows.push([
        'Docker daemon published 127.0.0.1 (MB/s, req/s; conn/s)',
        `${dMBs.toFixed(0)}, ${dRps.toFixed(0)}; ${dConn.toFixed(0)}`,
      ]);
    } finally {
      sh('docker', [...DOCKERD, 'rm', '-f', cid]);
      sh('docker', [...DOCKERD, 'rmi', image]);
    }
  } catch (err) {
    rows.push(['Docker daemon published port', `skipped: ${(err as Error).message.split('\n')[0]}`]);
  }

  // DNS: sequential lookups of the web container's name from a peer, inside its namespace.
  const peer = h.container(`${tag}-peer`, { networkMode: `${tag}-bench` });
  const p = await svc.attach(peer);
  const gw = svc.network(`${tag}-bench`).gateway;
  const script = `const d=require('dns');const r=new d.promises.Resolver();r.setServers(['${gw}']);(async()=>{const t=[];for(let i=0;i<300;i++){const s=performance.now();await r.resolve4('${web.name}');t.push(performance.now()-s);}t.sort((a,b)=>a-b);console.log(JSON.stringify({p50:t[150],p99:t[296]}));})();`;
  const dnsOut = await new Promise<string>((resolve) => {
    const c = spawn('nsenter', [`--net=${p.netnsPath}`, process.execPath, '-e', script]);
    let out = '';
    c.stdout.on('data', (d) => {
      out += d;
    });
    c.on('close', () => resolve(out));
  });
  const dns = JSON.parse(dnsOut || '{}') as { p50?: number; p99?: number };
  // From another container: through the published port on a host address (DNAT in PREROUTING) vs direct.
  const [fwdRps, fwdMBs] = wrk(`http://${gw}:${port + 2}/big`, false, p.netnsPath);
  const [peerRps, peerMBs] = wrk(`http://${ip}/big`, false, p.netnsPath);
  rows.push([
    'from another container: published via host address / direct (MB/s)',
    `${fwdMBs.toFixed(0)} / ${peerMBs.toFixed(0)} (req/s ${fwdRps.toFixed(0)} / ${peerRps.toFixed(0)})`,
  ]);
  rows.push(['embedded DNS A lookup, p50 / p99 (ms)', `${dns.p50?.toFixed(2)} / ${dns.p99?.toFixed(2)}`]);
} finally {
  const leaks = await h.close();
  if (leaks.length) process.stdout.write(`(left behind: ${leaks.join(', ')})\n`);
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write('| measure | berth |\n|---|---|\n');
for (const [k, v] of rows) process.stdout.write(`| ${k} | ${v} |\n`);
