import { describe, expect, it } from 'vitest';
import type { EmbeddedEngine } from '../../support/embedded-engine.js';
import { build, useBuildEngine } from './harness.js';

// RUN goes through the engine's OCI runtime: the same build on an engine running runc (the
// other suites use the detected default, crun).
describe('embedded engine on runc: RUN steps', () => {
  let engine: EmbeddedEngine;

  useBuildEngine(
    (e) => {
      engine = e;
    },
    { ociRuntime: 'runc' },
  );

  it('runs, commits changes and deletions, and fails with the exit code', async () => {
    const built = await build(engine, {
      Dockerfile:
        'FROM berth-test/busybox\nRUN echo runc > /made && rm /bin/vi\nRUN test "$(cat /made)" = runc && test ! -e /bin/vi\n',
    });
    expect(built.error, built.output).toBeUndefined();
    const failed = await build(engine, { Dockerfile: 'FROM berth-test/busybox\nRUN exit 4\n' });
    expect(failed.errorDetail?.code).toBe(4);
  });
});
