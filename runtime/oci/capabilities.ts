import { invalid } from '../errors.js';

/** Docker's default capability set: what a non-privileged container gets, nothing more. */
export const DEFAULT_CAPABILITIES = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
] as const;

/** Every capability the kernels we support know (for `ALL` and `Privileged`). */
export const ALL_CAPABILITIES = [
  ...DEFAULT_CAPABILITIES,
  'CAP_DAC_READ_SEARCH',
  'CAP_LINUX_IMMUTABLE',
  'CAP_NET_BROADCAST',
  'CAP_NET_ADMIN',
  'CAP_IPC_LOCK',
  'CAP_IPC_OWNER',
  'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO',
  'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN',
  'CAP_SYS_BOOT',
  'CAP_SYS_NICE',
  'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG',
  'CAP_LEASE',
  'CAP_AUDIT_CONTROL',
  'CAP_MAC_OVERRIDE',
  'CAP_MAC_ADMIN',
  'CAP_SYSLOG',
  'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ',
  'CAP_PERFMON',
  'CAP_BPF',
  'CAP_CHECKPOINT_RESTORE',
] as const;

const KNOWN = new Set<string>(ALL_CAPABILITIES);

/** Capability names by bit number (linux/capability.h). */
const BY_BIT = [
  'CHOWN',
  'DAC_OVERRIDE',
  'DAC_READ_SEARCH',
  'FOWNER',
  'FSETID',
  'KILL',
  'SETGID',
  'SETUID',
  'SETPCAP',
  'LINUX_IMMUTABLE',
  'NET_BIND_SERVICE',
  'NET_BROADCAST',
  'NET_ADMIN',
  'NET_RAW',
  'IPC_LOCK',
  'IPC_OWNER',
  'SYS_MODULE',
  'SYS_RAWIO',
  'SYS_CHROOT',
  'SYS_PTRACE',
  'SYS_PACCT',
  'SYS_ADMIN',
  'SYS_BOOT',
  'SYS_NICE',
  'SYS_RESOURCE',
  'SYS_TIME',
  'SYS_TTY_CONFIG',
  'MKNOD',
  'LEASE',
  'AUDIT_WRITE',
  'AUDIT_CONTROL',
  'SETFCAP',
  'MAC_OVERRIDE',
  'MAC_ADMIN',
  'SYSLOG',
  'WAKE_ALARM',
  'BLOCK_SUSPEND',
  'AUDIT_READ',
  'PERFMON',
  'BPF',
  'CHECKPOINT_RESTORE',
].map((n) => `CAP_${n}`);

/**
 * The capabilities in a `CapBnd:` hex mask from /proc/self/status: what the engine itself may
 * hand out. A privileged container gets these (asking for more makes the runtime's capset fail).
 */
export function capabilitiesFromMask(hex: string): string[] {
  const mask = BigInt(`0x${hex.trim() || '0'}`);
  return BY_BIT.filter((_, bit) => (mask >> BigInt(bit)) & 1n);
}

/** `net_admin`, `NET_ADMIN` and `CAP_NET_ADMIN` all name the same capability. */
export function normalizeCapability(name: string): string {
  const upper = name.trim().toUpperCase();
  if (upper === 'ALL') return 'ALL';
  const full = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
  if (!KNOWN.has(full)) throw invalid(`invalid CapAdd/CapDrop: unknown capability: "${name}"`);
  return full;
}

/**
 * The effective capability list as Docker computes it: start from the defaults (or all when
 * privileged), drop (ALL drops everything), then add; ALL added means every capability but the
 * dropped ones. Sorted for stable output.
 */
export function effectiveCapabilities(
  capAdd: string[] = [],
  capDrop: string[] = [],
  privileged = false,
  available: readonly string[] = ALL_CAPABILITIES,
): string[] {
  if (privileged) return [...available].sort();
  const add = capAdd.map(normalizeCapability);
  const drop = capDrop.map(normalizeCapability);
  // As moby's TweakCapabilities: ALL in CapAdd wins (all but the named drops), then ALL in CapDrop.
  if (add.includes('ALL')) return available.filter((c) => !drop.includes(c)).sort();
  const caps = new Set<string>(drop.includes('ALL') ? [] : DEFAULT_CAPABILITIES);
  for (const c of drop) caps.delete(c);
  for (const c of add) caps.add(c);
  return [...caps].sort();
}
