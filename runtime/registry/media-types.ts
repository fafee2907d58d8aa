/** Media types of the distribution API that the engine reads and writes. */
export const MEDIA = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerSchema1: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerLayerTar: 'application/vnd.docker.image.rootfs.diff.tar',
  dockerForeignLayer: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  ociLayerTar: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
} as const;

/** The `Accept` header of a manifest request: all four manifest kinds the engine understands. */
export const MANIFEST_ACCEPT = [
  MEDIA.dockerManifest,
  MEDIA.dockerList,
  MEDIA.ociManifest,
  MEDIA.ociIndex,
].join(', ');

/** Layer media types the engine can unpack (foreign/non-distributable layers are not fetched). */
const PULLABLE_LAYERS: ReadonlySet<string> = new Set([
  MEDIA.dockerLayerGzip,
  MEDIA.dockerLayerTar,
  MEDIA.ociLayerTar,
  MEDIA.ociLayerGzip,
  MEDIA.ociLayerZstd,
]);

/** True for a layer media type the engine downloads and unpacks. */
export function isPullableLayer(mediaType: string): boolean {
  return PULLABLE_LAYERS.has(mediaType);
}

/** True for an uncompressed layer (pushed only after it is compressed once). */
export function isUncompressedLayer(mediaType: string): boolean {
  return mediaType === MEDIA.dockerLayerTar || mediaType === MEDIA.ociLayerTar;
}

/** True for a media type from the OCI family (its manifest must then be an OCI manifest). */
export function isOciMediaType(mediaType: string): boolean {
  return mediaType.startsWith('application/vnd.oci.');
}
