import { describe, expect, it } from 'vitest';
import { PendingWaits } from '../../../src/client/api/pending-waits.js';

describe('PendingWaits', () => {
  it('holds a start until the waits registered for that container have landed', async () => {
    const waits = new PendingWaits();
    let land!: () => void;
    waits.track('c1', new Promise<void>((r) => (land = r)));
    const order: string[] = [];
    const started = waits.settled('c1', 60_000).then(() => order.push('start'));
    await waits.settled('other', 60_000);
    order.push('other container not held');
    land();
    await started;
    expect(order).toEqual(['other container not held', 'start']);
  });

  it('does not hold on a failed registration, and forgets settled ones', async () => {
    const waits = new PendingWaits();
    const failed = Promise.reject(new Error('refused'));
    failed.catch(() => {});
    waits.track('c1', failed);
    await waits.settled('c1', 60_000);
    await waits.settled('c1', 60_000);
  });

  it('gives up after the bound when an engine never answers the registration', async () => {
    const waits = new PendingWaits();
    waits.track('c1', new Promise(() => {}));
    await expect(waits.settled('c1', 10)).resolves.toBeUndefined();
  });
});
