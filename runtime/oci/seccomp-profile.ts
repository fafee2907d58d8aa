/**
 * berth's default seccomp profile: allow by default, refuse (EPERM) the syscalls a container has
 * no business making — kernel modules, keyrings, clocks, reboot, tracing other processes,
 * namespace and mount manipulation, BPF, perf. Modelled on the intent of Docker's default profile
 * (which is an allow-list); a deny-list keeps working as kernels add syscalls. Syscalls that a
 * granted capability legitimately needs are let through (e.g. `mount` with CAP_SYS_ADMIN).
 */

/** Syscalls refused unless the container holds the capability in the key. */
const GATED: Record<string, string[]> = {
  CAP_SYS_ADMIN: [
    'bpf',
    'clone3',
    'fanotify_init',
    'fsconfig',
    'fsmount',
    'fsopen',
    'fspick',
    'lookup_dcookie',
    'mount',
    'mount_setattr',
    'move_mount',
    'name_to_handle_at',
    'open_tree',
    'perf_event_open',
    'quotactl',
    'quotactl_fd',
    'setdomainname',
    'sethostname',
    'setns',
    'umount',
    'umount2',
    'unshare',
  ],
  CAP_SYS_BOOT: ['reboot'],
  CAP_SYS_MODULE: [
    'delete_module',
    'init_module',
    'finit_module',
    'create_module',
    'query_module',
    'get_kernel_syms',
  ],
  CAP_SYS_PTRACE: ['kcmp', 'process_vm_readv', 'process_vm_writev', 'ptrace', 'pidfd_getfd'],
  CAP_SYS_TIME: ['adjtimex', 'clock_adjtime', 'clock_settime', 'settimeofday', 'stime'],
  CAP_SYS_RAWIO: ['iopl', 'ioperm'],
  CAP_SYS_PACCT: ['acct'],
  CAP_SYS_NICE: ['get_mempolicy', 'mbind', 'set_mempolicy'],
  CAP_SYSLOG: ['syslog'],
  CAP_BPF: ['bpf'],
  CAP_PERFMON: ['perf_event_open'],
};

/** Syscalls refused whatever the capabilities (obsolete or host-global). */
const ALWAYS_DENIED = [
  'add_key',
  'keyctl',
  'request_key',
  'kexec_file_load',
  'kexec_load',
  'nfsservctl',
  'open_by_handle_at',
  'pivot_root',
  'swapon',
  'swapoff',
  'sysfs',
  '_sysctl',
  'uselib',
  'userfaultfd',
  'ustat',
  'vm86',
  'vm86old',
];

/** An OCI `linux.seccomp` object. */
export interface SeccompProfile {
  defaultAction: string;
  architectures: string[];
  syscalls: Array<{ names: string[]; action: string; errnoRet?: number }>;
}

/** The default profile for a container with these (normalized) capabilities. */
export function defaultSeccompProfile(capabilities: string[], arch: string = process.arch): SeccompProfile {
  const held = new Set(capabilities);
  const allowedByCap = new Set<string>();
  for (const [cap, names] of Object.entries(GATED))
    if (held.has(cap)) for (const n of names) allowedByCap.add(n);
  const denied = new Set<string>(ALWAYS_DENIED);
  for (const names of Object.values(GATED)) for (const n of names) if (!allowedByCap.has(n)) denied.add(n);
  // clone3 is refused with ENOSYS, not EPERM, so libcs fall back to clone (as Docker does).
  const enosys = denied.delete('clone3')
    ? [{ names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 }]
    : [];
  return {
    defaultAction: 'SCMP_ACT_ALLOW',
    architectures:
      arch === 'arm64'
        ? ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM']
        : ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'],
    syscalls: [{ names: [...denied].sort(), action: 'SCMP_ACT_ERRNO', errnoRet: 1 }, ...enosys],
  };
}
