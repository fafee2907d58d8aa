import { invalid } from '../errors.js';
import type { Mount } from '../host/host.js';

/** The local driver's options: none, or `type`/`o`/`device` as mount(8) takes them. */
export interface LocalVolumeOptions {
  type?: string;
  o?: string;
  device?: string;
}

const KNOWN = new Set(['type', 'o', 'device', 'size']);

/**
 * Checks `DriverOpts` for the local driver, as dockerd does: only `type`, `o`, `device`
 * (and `size`, which needs quotas we do not have: refused); `type` and `device` go together,
 * except tmpfs, which needs no device.
 */
export function validateLocalOptions(opts: Record<string, string>): LocalVolumeOptions {
  for (const key of Object.keys(opts)) {
    if (!KNOWN.has(key)) throw invalid(`invalid option key: ${JSON.stringify(key)}`);
  }
  if (opts.size !== undefined) throw invalid('quota size requested but no quota support');
  const { type, o, device } = opts;
  if (type === undefined && device === undefined && o !== undefined) {
    throw invalid('missing required option: "type" (and "device" unless type is tmpfs)');
  }
  if (type !== undefined && type !== 'tmpfs' && !device) throw invalid('missing required option: "device"');
  if (device !== undefined && !type) throw invalid('missing required option: "type"');
  return { type, o, device };
}

/** True when the volume is mounted from somewhere rather than being a plain directory. */
export function needsMount(opts: LocalVolumeOptions): boolean {
  return Boolean(opts.type);
}

/**
 * The mount that makes a volume's options real at `target` (its `_data` directory), as the local
 * driver does: `mount -t <type> -o <o> <device> <target>`; `o=bind` binds `device` there.
 */
export function localVolumeMount(opts: LocalVolumeOptions, target: string): Mount {
  const options = (opts.o ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bind = options.includes('bind') || options.includes('rbind');
  if (bind) {
    return { type: 'bind', source: opts.device ?? '', target, options: options.filter((x) => x !== 'bind') };
  }
  return { type: opts.type ?? 'tmpfs', source: opts.device ?? opts.type ?? 'tmpfs', target, options };
}
