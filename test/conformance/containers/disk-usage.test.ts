import { describe, expect, it } from 'vitest';
import { TEST_IMAGE } from '../../support/busybox-rootfs.js';
import { useHarness } from './harness.js';

interface SizedEntry {
  Id: string;
  SizeRw: number;
  SizeRootFs: number;
}

describe('disk usage of containers (crun)', () => {
  const h = useHarness('crun');

  it('size=1 lists and /system/df measure writable layers; volumes count their containers', async () => {
    const volume = h().name('vol');
    const writer = h().name('writer');
    await h().docker([
      'run',
      '--name',
      writer,
      '-v',
      `${volume}:/data`,
      TEST_IMAGE,
      'sh',
      '-c',
      'head -c 1048576 /dev/zero > /big',
    ]);
    const idle = (await h().docker(['create', '-v', `${volume}:/data`, TEST_IMAGE, 'true'])).stdout.trim();
    const writerId = (await h().inspect(writer)).Id;

    const list = (await h().api('GET', '/containers/json?all=1&size=1')).body as SizedEntry[];
    const written = list.find((c) => c.Id === writerId);
    const untouched = list.find((c) => c.Id === idle);
    expect(written?.SizeRw).toBeGreaterThanOrEqual(1048576);
    expect(written?.SizeRootFs).toBeGreaterThan(written?.SizeRw ?? 0);
    expect(untouched?.SizeRw).toBeLessThan(1048576);
    expect(untouched?.SizeRootFs).toBeGreaterThan(untouched?.SizeRw ?? 0);

    const unsized = (await h().api('GET', '/containers/json?all=1')).body as Array<Record<string, unknown>>;
    expect(unsized.every((c) => !('SizeRw' in c))).toBe(true);

    const df = (await h().api('GET', '/system/df')).body as {
      Containers: SizedEntry[];
      Volumes: Array<{ Name: string; UsageData: { RefCount: number } }>;
    };
    expect(df.Containers.find((c) => c.Id === writerId)?.SizeRw).toBeGreaterThanOrEqual(1048576);
    expect(df.Volumes.find((v) => v.Name === volume)?.UsageData.RefCount).toBe(2);

    const ps = await h().docker(['ps', '-a', '-s', '--filter', `name=${writer}`, '--format', '{{.Size}}']);
    expect(ps.stdout).toMatch(/^1\.05MB \(virtual /);
    await h().docker(['rm', '-f', writer, idle]);
    await h().docker(['volume', 'rm', volume]);
  });
});
