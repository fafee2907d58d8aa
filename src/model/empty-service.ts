import type { Service } from './project.js';

/**
 * A service with every collection present (empty) and nothing else set: the starting point of
 * normalization, and a base for building `Service` values in code and tests.
 */
export function emptyService(name: string): Service {
  return {
    name,
    environment: {},
    labels: {},
    ports: [],
    expose: [],
    volumes: [],
    volumes_from: [],
    tmpfs: [],
    networks: {},
    depends_on: {},
    links: [],
    external_links: [],
    scale: 1,
    profiles: [],
    cap_add: [],
    cap_drop: [],
    dns: [],
    dns_search: [],
    dns_opt: [],
    extra_hosts: [],
    sysctls: {},
    ulimits: {},
    security_opt: [],
    group_add: [],
    devices: [],
    secrets: [],
    configs: [],
    extensions: {},
  };
}
