import { errors } from '../errors/kinds.js';
import type { SecretOrConfig, Service, ServiceFileRef } from '../model/project.js';

/** A file written into a container after it is created and before it starts. */
export interface InjectedFile {
  /** Absolute path in the container. */
  path: string;
  content: string;
  mode: number;
  uid: number;
  gid: number;
}

/** Top-level secrets and configs, by key, and the interpolation variables `environment:` reads. */
export interface InlineSources {
  secrets: Record<string, SecretOrConfig>;
  configs: Record<string, SecretOrConfig>;
  environment: Record<string, string>;
}

/**
 * The secrets and configs of `service` whose value is not a host file (`environment:`,
 * `content:`): Compose copies them into the container (secrets at /run/secrets/<name> or their
 * target, configs at their target or /<name>), mode 0444 unless set, owned by uid/gid or root.
 */
export function inlineFiles(service: Service, sources: InlineSources): InjectedFile[] {
  const out: InjectedFile[] = [];
  const add = (
    kind: 'secret' | 'config',
    ref: ServiceFileRef,
    def: SecretOrConfig | undefined,
    path: string,
  ) => {
    if (!def || def.file || def.external) return;
    const content = def.content ?? (def.environment ? sources.environment[def.environment] : undefined);
    if (content === undefined) {
      const what = def.environment ? `environment variable ${def.environment} is not set` : 'it has no value';
      throw errors.invalid(`${kind} "${ref.source}" cannot be given to the container: ${what}`, {
        service: service.name,
        path: `services.${service.name}.${kind}s`,
      });
    }
    out.push({ path, content, mode: ref.mode ?? 0o444, uid: ownerId(ref.uid), gid: ownerId(ref.gid) });
  };
  for (const ref of service.secrets) {
    const target = ref.target?.startsWith('/') ? ref.target : `/run/secrets/${ref.target ?? ref.source}`;
    add('secret', ref, sources.secrets[ref.source], target);
  }
  for (const ref of service.configs)
    add('config', ref, sources.configs[ref.source], ref.target ?? `/${ref.source}`);
  return out;
}

function ownerId(id: string | undefined): number {
  const n = Number(id);
  return id !== undefined && Number.isInteger(n) && n >= 0 ? n : 0;
}
