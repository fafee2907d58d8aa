/**
 * The Compose label vocabulary. Every resource berth creates carries these, so `docker compose ps`
 * (v2) and docker-compose 1.29 see berth's stacks and berth sees theirs.
 */
export const Label = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  containerNumber: 'com.docker.compose.container-number',
  oneoff: 'com.docker.compose.oneoff',
  slug: 'com.docker.compose.slug',
  configHash: 'com.docker.compose.config-hash',
  image: 'com.docker.compose.image',
  dependsOn: 'com.docker.compose.depends_on',
  version: 'com.docker.compose.version',
  workingDir: 'com.docker.compose.project.working_dir',
  configFiles: 'com.docker.compose.project.config_files',
  replace: 'com.docker.compose.replace',
  network: 'com.docker.compose.network',
  volume: 'com.docker.compose.volume',
  /** berth's own: the hashed configuration as canonical JSON, so a recreate can show what changed. */
  config: 'io.berth.config',
} as const;

/** The value written to `com.docker.compose.version`; Compose tools only display it. */
export const COMPOSE_VERSION_LABEL = '2.30.0';

/** The engine-side name of a service's n-th container: `<project>-<service>-<n>`. */
export function containerName(project: string, service: string, n: number): string {
  return `${project}-${service}-${n}`;
}

/** The label filter that selects one project's resources in a list call. */
export function projectFilter(project: string): Record<string, string[]> {
  return { label: [`${Label.project}=${project}`] };
}
