import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';
import { eventually } from '../../support/eventually.js';
import { mountsUnder } from '../../support/leak-check.js';
import { type ContainerHarness, RUNTIMES, startHarness } from './harness.js';

/**
 * The run path's shortcuts keep Docker's behaviour: a start whose steps run side by side undoes
 * every one when one fails; an auto-removal answers once the container is cleaned and deletes
 * its files afterwards; an exited AutoRemove container a crash left behind is removed at the
 * next engine start (auto-removal writes no `removing` mark first).
 */
for (const runtime of RUNTIMES) {
  describe(`run path (${runtime})`, () => {
    let h: ContainerHarness | undefined;
    let server: Server | undefined;
    afterEach(async () => {
      await new Promise((r) => (server ? server.close(r) : r(undefined)));
      server = undefined;
      await h?.engine.stop();
      h = undefined;
    });

    it('a start failing in the network step leaves no mount, cgroup or process of the other steps', async () => {
      h = await startHarness(runtime);
      const taken = createServer();
      server = taken;
      const port = await new Promise<number>((resolve) =>
        taken.listen(0, '127.0.0.1', () => resolve((taken.address() as { port: number }).port)),
      );
      const name = h.name('clash');
      const res = await h.docker(
        ['run', '-d', '--name', name, '-p', `127.0.0.1:${port}:80`, TEST_IMAGE, 'sleep', '300'],
        { allowFailure: true },
      );
      expect(res.code).not.toBe(0);
      expect(res.stderr).toMatch(/port is already allocated/);
      expect((await h.inspect(name)).State.Running).toBe(false);
      expect(mountsUnder(join(h.engine.dataRoot, 'containers'))).toEqual([]);
      const id = (await h.inspect(name)).Id;
      await h.docker(['rm', name]);
      h.engine.assertNoLeaks([id]);
    });

    it('run --rm frees the name and the container at once; its files go after the answer', async () => {
      h = await startHarness(runtime);
      const name = h.name('again');
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const cidfile = join(h.engine.dataRoot, '..', `cid-${i}`);
        const res = await h.docker(
          ['run', '--rm', '--cidfile', cidfile, '--name', name, TEST_IMAGE, 'sh', '-c', `exit ${i}`],
          { allowFailure: true },
        );
        expect(res.code).toBe(i);
        ids.push(readFileSync(cidfile, 'utf8').trim());
        const all = (await h.api('GET', '/containers/json?all=1')).body as Array<{ Names: string[] }>;
        expect(all.flatMap((c) => c.Names)).not.toContain(`/${name}`);
      }
      const dataRoot = h.engine.dataRoot;
      await eventually(() => ids.every((id) => !existsSync(join(dataRoot, 'containers', id))), {
        what: "the removed containers' directories to be deleted",
      });
      h.engine.assertNoLeaks(ids);
    });

    it('an exited AutoRemove container a crash left behind is removed at the next start', async () => {
      h = await startHarness(runtime);
      const id = (await h.docker(['create', '--rm', '-v', '/anon', TEST_IMAGE, 'true'])).stdout.trim();
      const volume = ((
        (await h.api('GET', `/containers/${id}/json`)).body as { Mounts: Array<{ Name: string }> }
      ).Mounts[0]?.Name ?? '') as string;
      await h.engine.kill9();
      // What a kill between recording the exit and the auto-removal leaves behind.
      const state = join(h.engine.dataRoot, 'containers', id, 'state.json');
      const record = JSON.parse(readFileSync(state, 'utf8'));
      record.State.Status = 'exited';
      record.StartedBefore = true;
      writeFileSync(state, JSON.stringify(record));
      await h.engine.restart();
      const engine = h;
      await eventually(async () => (await engine.api('GET', `/containers/${id}/json`)).status === 404, {
        what: 'the container to be removed',
      });
      expect((await h.api('GET', `/volumes/${volume}`)).status).toBe(404);
      await eventually(() => !existsSync(join(engine.engine.dataRoot, 'containers', id)), {
        what: "the container's directory to be deleted",
      });
      h.engine.assertNoLeaks([id]);
    });
  });
}
