import type { ImageRecord } from '../contracts.js';
import { invalid } from '../errors.js';
import { mountRequests } from '../oci/mount-requests.js';
import { mergeEnv, pathAndArgs, resolveCommand } from '../oci/process-args.js';
import { cgroupResources } from '../oci/resources.js';
import { normalizeRestartPolicy } from '../supervisor/restart-policy.js';
import type { CreateRequest, HostConfig } from './api-types.js';
import { type ContainerRecord, createdState } from './container-record.js';

/** A container record ready to persist, and the warnings Docker would return. */
export interface CreatePlan {
  record: ContainerRecord;
  warnings: string[];
}

/**
 * Builds a container's record from a create request and its image, applying the image's config
 * as Docker does (Env merged, Cmd/Entrypoint rules, WorkingDir, User, Labels, StopSignal,
 * Healthcheck, ExposedPorts, Volumes) and validating what would fail later. Pure.
 */
export function planCreate(
  body: CreateRequest,
  image: ImageRecord,
  id: string,
  name: string,
  nowIso: string,
): CreatePlan {
  const { HostConfig: hostIn, NetworkingConfig: netIn, ...config } = body;
  const img = image.config.config ?? {};
  const host: HostConfig = { NetworkMode: 'default', ...(hostIn ?? {}) };
  const warnings: string[] = [];
  const policy = normalizeRestartPolicy(host.RestartPolicy);
  if (typeof policy === 'string') throw invalid(policy);
  if (policy.name !== 'no' && host.AutoRemove)
    throw invalid('conflicting options: AutoRemove and restart policy cannot both be set');
  host.RestartPolicy = {
    Name: policy.name === 'no' ? '' : policy.name,
    MaximumRetryCount: policy.maximumRetryCount,
  };
  cgroupResources(host);
  if (config.WorkingDir && !config.WorkingDir.startsWith('/'))
    throw invalid(`the working directory '${config.WorkingDir}' is invalid, it needs to be an absolute path`);
  const { entrypoint, cmd } = resolveCommand(config, img);
  const { path, args } = pathAndArgs(entrypoint, cmd);
  const hostname = config.Hostname || id.slice(0, 12);
  const labels = { ...(img.Labels ?? {}), ...(config.Labels ?? {}) };
  const merged = {
    ...config,
    Hostname: hostname,
    Domainname: config.Domainname ?? '',
    User: config.User ?? img.User ?? '',
    Env: mergeEnv(img.Env, config.Env ?? []),
    Cmd: cmd.length ? cmd : null,
    Entrypoint: entrypoint.length ? entrypoint : null,
    WorkingDir: config.WorkingDir || img.WorkingDir || '',
    Labels: labels,
    StopSignal: config.StopSignal || img.StopSignal || undefined,
    Healthcheck: config.Healthcheck ?? img.Healthcheck ?? undefined,
    ExposedPorts: { ...(img.ExposedPorts ?? {}), ...(config.ExposedPorts ?? {}), ...portsFromBindings(host) },
    Volumes: { ...(img.Volumes ?? {}), ...(config.Volumes ?? {}) },
    Image: config.Image ?? image.id,
    Tty: !!config.Tty,
    OpenStdin: !!config.OpenStdin,
  };
  if (!merged.StopSignal) delete merged.StopSignal;
  if (!merged.Healthcheck) delete merged.Healthcheck;
  // Validated now so a bad Binds/Mounts entry is a 400 at create, as Docker answers.
  mountRequests(host, merged.Volumes);
  const record: ContainerRecord = {
    Id: id,
    Name: name,
    Created: nowIso,
    Path: path,
    Args: args,
    Image: image.id,
    Config: merged,
    HostConfig: host,
    NetworkingConfig: netIn ?? {},
    State: createdState(),
    RestartCount: 0,
    ManuallyStopped: false,
    StartedBefore: false,
    LastRestartDelayMs: 0,
    MountPoints: [],
    ConmonPid: 0,
    LogPath: '',
  };
  return { record, warnings };
}

function portsFromBindings(host: HostConfig): Record<string, object> {
  const out: Record<string, object> = {};
  for (const port of Object.keys(host.PortBindings ?? {}))
    out[port.includes('/') ? port : `${port}/tcp`] = {};
  return out;
}
