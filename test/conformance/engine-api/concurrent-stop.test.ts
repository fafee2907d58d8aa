import { expect } from 'vitest';
import { forEachEngine, rejection } from './harness.js';

/**
 * Many stops at once, as `down` sends them: each container gets its own stop signal and exits by
 * it (tini as init forwards SIGTERM to `sleep`, which dies: 143), never by the SIGKILL after the
 * timeout; a paused one is thawed to receive it; each reports kill → die → stop; a second stop
 * is 304.
 */
forEachEngine('concurrent stop', (ctx, test) => {
  test('ten concurrent stops end by the stop signal, with their events', async () => {
    const { client, container, prefix } = ctx();
    const ids = await Promise.all(
      Array.from({ length: 10 }, (_, i) => container(`stop${i}`, { HostConfig: { Init: true } })),
    );
    await Promise.all(ids.map((id) => client.containers.start(id)));
    await client.containers.pause(ids[0]!);
    const since = new Date(Date.now() - 1000);
    // A timeout far beyond any stop: an exit by SIGKILL (137) would mean the signal was lost.
    await Promise.all(ids.map((id) => client.containers.stop(id, { t: 60 })));
    const until = new Date(Date.now() + 1000);
    for (const id of ids) {
      const { State } = await client.containers.inspect(id);
      expect({ id, Status: State.Status, ExitCode: State.ExitCode }).toEqual({
        id,
        Status: 'exited',
        ExitCode: 143,
      });
    }
    expect((await rejection(client.containers.stop(ids[1]!))).kind).toBe('not-modified');
    const actions = new Map<string, string[]>();
    for await (const e of client.system.events({
      since,
      until,
      filters: { type: ['container'], event: ['kill', 'die', 'stop'] },
    })) {
      if (!e.Actor.Attributes.name?.startsWith(`${prefix}-stop`)) continue;
      const detail = e.Action === 'kill' ? e.Actor.Attributes.signal : e.Actor.Attributes.exitCode;
      actions.set(e.Actor.ID, [
        ...(actions.get(e.Actor.ID) ?? []),
        `${e.Action}${detail ? ` ${detail}` : ''}`,
      ]);
    }
    for (const id of ids) expect(actions.get(id)).toEqual(['kill 15', 'die 143', 'stop']);
  });
});
