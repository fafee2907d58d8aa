import http from 'node:http';

/**
 * The floor of the compose benchmark: the engine calls each phase of the benchmark stack must
 * make, sent by a bare `node:http` loop with maximum parallelism and nothing else (no loading, no
 * planning, no client library). Run as a child process so its wall clock includes a Node start,
 * like the CLIs it is compared with:
 *
 *   node floor-compose.js <socket> <project> <services> <variable> cold|noop|change|down
 *
 * `cold` makes the stack from nothing (the network, then every container created and started at
 * once); `noop` makes the one observation a no-op `up` needs (the four list calls); `change`
 * replaces `s1` (created under a temporary name while the old one stops and goes, renamed,
 * started); `down` stops every container at once, removes each as soon as it stopped, then the
 * network.
 */
const [socketPath, project, servicesArg, variable, verb] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const net = `${project}_default`;
const label = (service: string) => ({
  'com.docker.compose.project': project,
  'com.docker.compose.service': service,
  'com.docker.compose.container-number': '1',
  'com.docker.compose.oneoff': 'False',
});

function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers = data ? { 'Content-Type': 'application/json', 'Content-Length': data.length } : {};
    const req = http.request({ socketPath, agent, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        const status = res.statusCode ?? 0;
        if (status >= 400) reject(new Error(`${method} ${path}: ${status} ${text}`));
        else resolve((text ? JSON.parse(text) : undefined) as T);
      });
    });
    req.on('error', reject);
    req.end(data);
  });
}

function createBody(service: string, n: number) {
  return {
    Image: 'berth-test/busybox:latest',
    Cmd: ['sleep', '3600'],
    Env: [`ROUND=${n === 1 ? variable : 'fixed'}`],
    Labels: label(service),
    HostConfig: { Init: true, NetworkMode: net },
    NetworkingConfig: { EndpointsConfig: { [net]: { Aliases: [service] } } },
  };
}

async function create(service: string, n: number, name = `${project}-${service}-1`): Promise<string> {
  const { Id } = await call<{ Id: string }>(
    'POST',
    `/containers/create?name=${name}`,
    createBody(service, n),
  );
  return Id;
}

const filter = encodeURIComponent(JSON.stringify({ label: [`com.docker.compose.project=${project}`] }));
const listed = () =>
  call<Array<{ Id: string; Labels: Record<string, string> }>>(
    'GET',
    `/containers/json?all=1&filters=${filter}`,
  );
if (verb === 'noop') {
  await Promise.all([
    listed(),
    call('GET', `/networks?filters=${filter}`),
    call('GET', `/volumes?filters=${filter}`),
    call('GET', '/images/json'),
  ]);
} else if (verb === 'down') {
  const existing = await listed();
  await Promise.all(
    existing.map(async (c) => {
      await call('POST', `/containers/${c.Id}/stop`);
      await call('DELETE', `/containers/${c.Id}`);
    }),
  );
  await call('DELETE', `/networks/${net}`);
} else if (verb === 'change') {
  const old = (await listed()).find((c) => c.Labels['com.docker.compose.service'] === 's1');
  if (!old) throw new Error('no s1 to replace');
  const [id] = await Promise.all([
    create('s1', 1, `${project}-s1-new`),
    call('POST', `/containers/${old.Id}/stop`).then(() => call('DELETE', `/containers/${old.Id}`)),
  ]);
  await call('POST', `/containers/${id}/rename?name=${project}-s1-1`);
  await call('POST', `/containers/${id}/start`);
} else {
  await call('POST', '/networks/create', { Name: net, Labels: { 'com.docker.compose.project': project } });
  const services = Number(servicesArg);
  await Promise.all(
    Array.from({ length: services }, async (_, i) => {
      const id = await create(`s${i + 1}`, i + 1);
      await call('POST', `/containers/${id}/start`);
    }),
  );
}
agent.destroy();
