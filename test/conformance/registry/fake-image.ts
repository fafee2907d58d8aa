import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FixtureEntry, tarOf, tgzOf } from '../../fixtures/archives/build-tar.js';

/** `sha256:<hex>` of bytes. */
export const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** Listens on a free loopback port; resolves with `127.0.0.1:<port>`. */
export async function listenLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * A gate for answers that must wait for each other: each call holds `answer` until `count` are
 * held, then runs them all. Bounded by `boundMs`, so a client that sends its requests one by
 * one makes the test fail, not hang.
 */
export function answerTogether(count: number, boundMs = 5_000): (answer: () => void) => void {
  let held: Array<() => void> = [];
  const release = () => {
    const now = held;
    held = [];
    for (const a of now) a();
  };
  return (answer) => {
    held.push(answer);
    if (held.length >= count) release();
    else setTimeout(release, boundMs).unref();
  };
}

/**
 * An image (config and one gzip layer of `entries`) as a registry would serve it, in Docker's or
 * the OCI media types; `manifest()` may name another layer digest, to serve a lie.
 */
export function fakeImage(entries: FixtureEntry[], kind: 'docker' | 'oci' = 'docker') {
  const layer = tgzOf(entries);
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: {},
      rootfs: { type: 'layers', diff_ids: [sha(tarOf(entries))] },
    }),
  );
  const oci = kind === 'oci';
  const manifestType = oci
    ? 'application/vnd.oci.image.manifest.v1+json'
    : 'application/vnd.docker.distribution.manifest.v2+json';
  const manifest = (layerDigest = sha(layer)) =>
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: manifestType,
        config: {
          mediaType: oci
            ? 'application/vnd.oci.image.config.v1+json'
            : 'application/vnd.docker.container.image.v1+json',
          size: config.length,
          digest: sha(config),
        },
        layers: [
          {
            mediaType: oci
              ? 'application/vnd.oci.image.layer.v1.tar+gzip'
              : 'application/vnd.docker.image.rootfs.diff.tar.gzip',
            size: layer.length,
            digest: layerDigest,
          },
        ],
      }),
    );
  return { layer, config, manifest, manifestType };
}
