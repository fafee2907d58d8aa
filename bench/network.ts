import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNetHarness } from '../test/conformance/network/harness.js';
import { busyboxRootfsTar } from '../test/support/busybox-rootfs.js';

/**
 * Network benchmarks (root): container network setup time against a bare namespace, published-port
 * TCP throughput and connection rate against the same container reached on its own address and
 * against the Docker daemon's published port, and embedded DNS lookup latency. Uses `wrk`, pinned
 * to one CPU, with targets interleaved over several rounds (see {@link interleaved}). Prints a
 * markdown table; asserts nothing.
 */
const dir = mkdtempSync(join(tmpdir(), 'berth-bench-net-'));
const rows: Array<[string, string]> = [];
/** The Docker daemon beside us, whatever DOCKER_HOST says. */
const DOCKERD = ['-H', 'unix:///var/run/docker.sock'];
const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' });

/** Rounds of interleaved measurements (BENCH_ROUNDS, default 7). */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 7));
/**
 * The CPU the load generator and the servers are pinned to (the last one), so every target is
 * measured by the same single-threaded client on the same core and the ratios compare paths,
 * not schedulers.
 */
const CLIENT_CPU = String(availableParallelism() - 1);

/** Runs wrk once (one thread, pinned); returns [requests/s, transfer MB/s]. */
function wrkOnce(url: string, close: boolean, netns?: string): [number, number] {
  const headers = close ? ['-H', 'Connection: close'] : [];
  const args = ['-t1', '-c8', '-d2s', ...headers, url];
  const cmd = ['taskset', '-c', CLIENT_CPU, 'wrk', ...args];
  const out = netns ? sh('nsenter', [`--net=${netns}`, ...cmd]) : sh(cmd[0] as string, cmd.slice(1));
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const m = /Transfer\/sec:\s+([\d.]+)(\w+)/.exec(out);
  const scale: Record<string, number> = { B: 1 / 1e6, KB: 1 / 1024, MB: 1, GB: 1024 };
  return [rps, Number(m?.[1] ?? 0) * (scale[m?.[2] ?? 'MB'] ?? 1)];
}

/**
 * Starts a Node HTTP server on port 8080 in a namespace (`enter` is the nsenter prefix) that
 * answers every request with 1 MiB on a keep-alive connection, pinned to the client's CPU.
 */
function keepAliveServer(enter: string[]): ChildProcess {
  const code =
    "const b=Buffer.alloc(1<<20,7);require('http').createServer((q,s)=>{s.writeHead(200,{'content-length':b.length});s.end(b)}).listen(8080)";
  const [cmd = 'nsenter', ...args] = enter;
  return spawn(cmd, [...args, 'taskset', '-c', CLIENT_CPU, process.execPath, '-e', code], {
    stdio: 'ignore',
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

/** One target of an interleaved comparison. */
interface Target {
  name: string;
  url: string;
  netns?: string;
}

/** Per-target medians, and the median of each round's ratio to the first target (the baseline). */
interface Interleaved {
  rps: Record<string, number>;
  mbs: Record<string, number>;
  /** Median over rounds of target/baseline, by MB/s (or req/s for connection rates). */
  ratio: Record<string, number>;
}

/**
 * Measures every target once per round, rotating the order each round, for ROUNDS rounds, and
 * compares each to the baseline within the same round: load from other work on the machine
 * hits a round as a whole, so the per-round ratio cancels it and its median discards outliers.
 */
function interleaved(targets: Target[], close: boolean): Interleaved {
  const runs = new Map<string, Array<[number, number]>>(targets.map((t) => [t.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < targets.length; k++) {
      const t = targets[(round + k) % targets.length] as Target;
      runs.get(t.name)?.push(wrkOnce(t.url, close, t.netns));
    }
  }
  const base = runs.get(targets[0]?.name ?? '') ?? [];
  const pick = (r: [number, number]) => (close ? r[0] : r[1]);
  const out: Interleaved = { rps: {}, mbs: {}, ratio: {} };
  for (const [name, rs] of runs) {
    out.rps[name] = median(rs.map((r) => r[0]));
    out.mbs[name] = median(rs.map((r) => r[1]));
    out.ratio[name] = median(rs.map((r, i) => pick(r) / Math.max(1e-9, pick(base[i] ?? [1, 1]))));
  }
  return out;
}

const h = await startNetHarness();
let streamer: ChildProcess | undefined;
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
      '8080/tcp': [
        { HostIp: '127.0.0.1', HostPort: String(port + 3) },
        { HostIp: '', HostPort: String(port + 4) },
      ],
    },
  });
  const att = await svc.attach(web);
  const ip = att.hosts[0]?.[0] ?? '';
  const server = h.serve(att.netnsPath as string, ['httpd', '-f', '-p', '80', '-h', www]);
  // The server (and the children it forks per connection) shares the client's CPU: the veth
  // softirqs run where the sender runs, so every path is measured on one core, alike.
  sh('taskset', ['-p', '-c', CLIENT_CPU, String(server.pid)]);
  // Throughput proper: a keep-alive server, so the figure is bytes through the path, not the
  // connection set-up busybox httpd (one connection per request) adds to every GET.
  streamer = keepAliveServer(['nsenter', `--net=${att.netnsPath}`]);
  await new Promise((r) => setTimeout(r, 500));
  // Through a non-loopback host address (the gateway's): DNAT only, no localhost masquerade.
  const gateway = svc.network(`${tag}-bench`).gateway;
  const big: Target[] = [
    { name: 'direct', url: `http://${ip}:8080/big` },
    { name: 'published 127.0.0.1', url: `http://127.0.0.1:${port + 3}/big` },
    { name: 'published 0.0.0.0 via a host address', url: `http://${gateway}:${port + 4}/big` },
  ];
  const churn: Target[] = [
    { name: 'direct', url: `http://${ip}/big` },
    { name: 'published 127.0.0.1', url: `http://127.0.0.1:${port}/big` },
  ];
  const small: Target[] = [
    { name: 'direct', url: `http://${ip}/` },
    { name: 'published 127.0.0.1', url: `http://127.0.0.1:${port}/` },
  ];

  // The Docker daemon's published port for the same files (docker-proxy on 127.0.0.1), measured
  // in the same rounds.
  let dockerCleanup = () => {};
  try {
    const image = `berth-bench/busybox:${tag}`;
    sh('docker', [...DOCKERD, 'import', busyboxRootfsTar(), image]);
    const dport = port + 1;
    const cid = sh('docker', [
      ...DOCKERD,
      'run',
      '-d',
      '--rm',
      '--cpuset-cpus',
      CLIENT_CPU,
      '-p',
      `127.0.0.1:${dport}:80`,
      '-p',
      `127.0.0.1:${port + 5}:8080`,
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
    dockerCleanup = () => {
      sh('docker', [...DOCKERD, 'rm', '-f', cid]);
      sh('docker', [...DOCKERD, 'rmi', image]);
    };
    const pid = sh('docker', [...DOCKERD, 'inspect', '-f', '{{.State.Pid}}', cid]).trim();
    const dockerStreamer = keepAliveServer(['nsenter', '-t', pid, '-n']);
    const removeContainer = dockerCleanup;
    dockerCleanup = () => {
      dockerStreamer.kill('SIGKILL');
      removeContainer();
    };
    await new Promise((r) => setTimeout(r, 1000));
    big.push({ name: 'Docker daemon published 127.0.0.1', url: `http://127.0.0.1:${port + 5}/big` });
    churn.push({ name: 'Docker daemon published 127.0.0.1', url: `http://127.0.0.1:${dport}/big` });
    small.push({ name: 'Docker daemon published 127.0.0.1', url: `http://127.0.0.1:${dport}/` });
  } catch (err) {
    rows.push(['Docker daemon published port', `skipped: ${(err as Error).message.split('\n')[0]}`]);
  }
  try {
    const tput = interleaved(big, false);
    const perConnection = interleaved(churn, false);
    const conns = interleaved(small, true);
    for (const t of big)
      rows.push([
        `TCP throughput, 1 MiB responses on keep-alive connections, ${t.name} (MB/s; median of ${ROUNDS})`,
        `${tput.mbs[t.name]?.toFixed(0)}`,
      ]);
    for (const t of big.slice(1))
      rows.push([
        `**throughput ratio ${t.name} / direct** (median of ${ROUNDS} per-round ratios; target ≥ 0.90)`,
        `**${tput.ratio[t.name]?.toFixed(2)}**`,
      ]);
    for (const t of churn.slice(1))
      rows.push([
        `1 MiB GETs, one connection each (busybox httpd), ${t.name} / direct (MB/s; median per-round ratio)`,
        `${perConnection.mbs[t.name]?.toFixed(0)} / ${perConnection.mbs.direct?.toFixed(0)} (${perConnection.ratio[t.name]?.toFixed(2)})`,
      ]);
    for (const t of small.slice(1))
      rows.push([
        `connection rate ${t.name} / direct (conn/s; median per-round ratio)`,
        `${conns.rps[t.name]?.toFixed(0)} / ${conns.rps.direct?.toFixed(0)} (${conns.ratio[t.name]?.toFixed(2)})`,
      ]);
  } finally {
    dockerCleanup();
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
  const peerNs = p.netnsPath as string;
  const fromPeer = interleaved(
    [
      { name: 'direct', url: `http://${ip}:8080/big`, netns: peerNs },
      { name: 'published', url: `http://${gw}:${port + 4}/big`, netns: peerNs },
    ],
    false,
  );
  rows.push([
    '**from another container (the path of traffic arriving from outside: PREROUTING DNAT)**: published via host address / direct (MB/s; median per-round ratio; target ≥ 0.90)',
    `${fromPeer.mbs.published?.toFixed(0)} / ${fromPeer.mbs.direct?.toFixed(0)} (${fromPeer.ratio.published?.toFixed(2)})`,
  ]);
  rows.push(['embedded DNS A lookup, p50 / p99 (ms)', `${dns.p50?.toFixed(2)} / ${dns.p99?.toFixed(2)}`]);
} finally {
  streamer?.kill('SIGKILL');
  const leaks = await h.close();
  if (leaks.length) process.stdout.write(`(left behind: ${leaks.join(', ')})\n`);
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write('| measure | berth |\n|---|---|\n');
for (const [k, v] of rows) process.stdout.write(`| ${k} | ${v} |\n`);
