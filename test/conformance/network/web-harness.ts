import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ContainerHarness, cleanContainers, startHarness } from '../containers/harness.js';
import { plumbingLeft } from './net-tools.js';

/** An engine running real containers (crun) and a web root for busybox httpd to serve. */
export interface WebHarness {
  h: ContainerHarness;
  /** A directory holding `index.html` ("hello from berth"), readable by containers. */
  www: string;
  /**
   * Removes every container and user network, stops the engine and the web root; returns
   * what is left of the default bridge's plumbing (empty when nothing leaked).
   */
  close(): Promise<string[]>;
}

/** Starts a {@link WebHarness} for the docker CLI and docker-compose suites. */
export async function startWebHarness(): Promise<WebHarness> {
  const h = await startHarness('crun');
  const www = mkdtempSync(join(tmpdir(), 'berth-www-'));
  writeFileSync(join(www, 'index.html'), 'hello from berth\n', { mode: 0o644 });
  chmodSync(www, 0o755);
  const inspect = JSON.parse((await h.docker(['network', 'inspect', 'bridge'])).stdout)[0];
  const bridge: string = inspect.Options['com.docker.network.bridge.name'];
  return {
    h,
    www,
    async close() {
      try {
        await cleanContainers(h);
        const nets = (await h.docker(['network', 'ls', '-q', '--filter', 'type=custom'])).stdout.trim();
        for (const n of nets.split('\n').filter(Boolean))
          await h.docker(['network', 'rm', n], { allowFailure: true });
        await h.engine.stop();
      } finally {
        rmSync(www, { recursive: true, force: true });
      }
      return plumbingLeft(bridge);
    },
  };
}
