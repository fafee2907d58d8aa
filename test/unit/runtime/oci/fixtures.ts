import type { OciSpecInput } from '../../../../runtime/oci/oci-spec.js';

const base: OciSpecInput = {
  id: 'a'.repeat(64),
  config: { Image: 'busybox', Tty: false },
  hostConfig: {},
  argv: ['sh', '-c', 'echo hi'],
  env: ['PATH=/usr/bin:/bin', 'HOSTNAME=aaaaaaaaaaaa', 'HOME=/root'],
  cwd: '/',
  user: { uid: 0, gid: 0, additionalGids: [] },
  hostname: 'aaaaaaaaaaaa',
  rootfsPath: '/var/lib/berth/containers/aaa/rootfs',
  mounts: [],
  etcFiles: { hosts: '/c/hosts', hostname: '/c/hostname', resolvConf: '/c/resolv.conf' },
  cgroupsPath: '/berth/aaaaaaaaaaaa',
};

/** Named spec inputs covering the builder's branches; each has a golden config.json. */
export const SPEC_CASES: Record<string, OciSpecInput> = {
  minimal: base,
  limits: {
    ...base,
    config: { Image: 'busybox', Tty: true },
    hostConfig: {
      Memory: 64 * 1024 * 1024,
      NanoCpus: 500_000_000,
      CpuShares: 512,
      PidsLimit: 100,
      ShmSize: 1024 * 1024,
      Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 2048 }],
      Sysctls: { 'net.ipv4.ip_forward': '1' },
      SecurityOpt: ['no-new-privileges:true'],
      CapAdd: ['NET_ADMIN'],
      CapDrop: ['MKNOD'],
      ReadonlyRootfs: true,
      Init: true,
    },
    user: { uid: 1000, gid: 1000, additionalGids: [27, 100] },
    mounts: [
      { type: 'bind', source: '/srv/data', destination: '/data', readOnly: true, options: [] },
      {
        type: 'volume',
        source: '/var/lib/berth/volumes/v/_data',
        destination: '/var/lib/db',
        readOnly: false,
        options: [],
      },
      { type: 'tmpfs', source: '', destination: '/run', readOnly: false, options: ['size=65536'] },
    ],
    netns: '/run/netns/berth-aaa',
    initPath: '/usr/bin/tini-static',
  },
  privileged: { ...base, hostConfig: { Privileged: true }, netns: 'host' },
};
