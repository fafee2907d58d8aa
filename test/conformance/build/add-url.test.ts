import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tgzOf } from '../../fixtures/archives/build-tar.js';
import type { EmbeddedEngine } from '../../support/embedded-engine.js';
import { listenLoopback } from '../registry/fake-image.js';
import { build, cacheHits, startBuildEngine } from './harness.js';

const MODIFIED = new Date('2021-03-04T05:06:07Z');

// ADD with a URL source, served from loopback: the engine downloads it (mode 0600, the
// Last-Modified time, an archive left packed), the cache follows the content, and with the
// build's network off, a missing file or nothing listening, the build fails naming the URL.
describe('embedded engine: ADD from a URL', () => {
  let engine: EmbeddedEngine;
  let server: Server;
  let base: string;
  let hello = 'hello from the web\n';
  const archive = tgzOf([{ name: 'inside.txt', data: 'packed\n' }]);

  beforeAll(async () => {
    engine = await startBuildEngine();
    server = createServer((req, res) => {
      if (req.url === '/files/hello.txt')
        res.writeHead(200, { 'Last-Modified': MODIFIED.toUTCString() }).end(hello);
      else if (req.url === '/files/app.tgz') res.writeHead(200).end(archive);
      else if (req.url === '/moved') res.writeHead(302, { Location: '/files/hello.txt' }).end();
      else res.writeHead(404).end('not here');
    });
    base = `http://${await listenLoopback(server)}`;
  });
  afterAll(async () => {
    engine?.assertNoLeaks();
    await engine?.stop();
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
  });

  const dockerfile = () => `FROM berth-test/busybox
ADD ${base}/files/hello.txt /dl/
ADD ${base}/files/app.tgz /dl/app.tgz
ADD ${base}/moved /dl/renamed.txt
RUN test "$(cat /dl/hello.txt)" = "${hello.trim()}" && test "$(stat -c %a:%u /dl/hello.txt)" = 600:0 \\
 && test "$(stat -c %Y /dl/hello.txt)" = ${MODIFIED.getTime() / 1000} \\
 && test -f /dl/app.tgz && test ! -e /dl/inside.txt && cmp /dl/hello.txt /dl/renamed.txt
`;

  it('downloads the file, keeps an archive packed, follows a redirect', async () => {
    const r = await build(engine, { Dockerfile: dockerfile() });
    expect(r.error, r.output).toBeUndefined();
  });

  it('takes the steps from the cache while the content is the same, and rebuilds when it changes', async () => {
    const again = await build(engine, { Dockerfile: dockerfile() });
    expect(again.error, again.output).toBeUndefined();
    expect(cacheHits(again.output)).toBe(4);
    hello = 'changed on the server\n';
    const changed = await build(engine, { Dockerfile: dockerfile() });
    expect(changed.error, changed.output).toBeUndefined();
    expect(cacheHits(changed.output)).toBe(0);
  });

  it('fails naming the URL when the network is off, the file is missing or nothing answers', async () => {
    const off = await build(engine, { Dockerfile: dockerfile() }, { networkmode: 'none' });
    expect(off.error).toBe(
      `ADD ${base}/files/hello.txt: cannot download: the build's network is off (--network none)`,
    );
    const missing = await build(engine, { Dockerfile: `FROM berth-test/busybox\nADD ${base}/nope.txt /x\n` });
    expect(missing.error).toBe(`ADD ${base}/nope.txt: cannot download: the server answered 404 Not Found`);
    const nobody = await build(engine, {
      Dockerfile: 'FROM berth-test/busybox\nADD http://127.0.0.1:1/x.txt /x\n',
    });
    expect(nobody.error).toMatch(/^ADD http:\/\/127\.0\.0\.1:1\/x\.txt: cannot download: .*ECONNREFUSED/);
    const nameless = await build(engine, { Dockerfile: `FROM berth-test/busybox\nADD ${base}/ /dl/\n` });
    expect(nameless.error).toMatch(/cannot determine a file name from the URL/);
    const copy = await build(engine, {
      Dockerfile: `FROM berth-test/busybox\nCOPY ${base}/files/hello.txt /x\n`,
    });
    expect(copy.error).toBe("source can't be a URL for COPY");
    const list = await engine.client.request('GET', '/v1.41/containers/json?all=1');
    expect(list.body).toEqual([]);
  });
});
