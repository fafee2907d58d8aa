import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Addressing, addressing, type Place } from './network-plumbing-checks.js';
import { shellQuote as q, type Step } from './network-plumbing-shell.js';

/**
 * The candidates bench/network-plumbing.ts sets side by side. Each sets up ONE container's
 * networking as an engine would (namespace file, veth onto a fresh bridge with a static address
 * and MAC, default route, masquerade, forward-accept, one TCP port published on 127.0.0.1 by
 * DNAT) and tears it all down again (rules, veth, bridge, namespace), each step as the programs
 * an engine would exec, strung together by one bash (see network-plumbing-shell.ts).
 */

export const NETAVARK = '/usr/lib/podman/netavark';
export const CNI_PATH = '/usr/lib/cni';

/** One candidate: its steps and a best-effort undo for a round that failed half-way. */
export interface Candidate {
  label: string;
  at: Addressing;
  /** Whether its steps run under the host-wide netavark lock, as the engine's calls do. */
  locked: boolean;
  /** Whether it plumbs a container (checked after setup); false for the bare namespace. */
  plumbs: boolean;
  setup(): Step;
  /** Built after setup (CNI's DEL chain is given the result its ADD chain returned). */
  teardown(): Step;
  /** Undoes whatever is left, each line allowed to fail. */
  rescue(): Step;
}

/** netavark 1.4: `setup`/`teardown` with the engine's options (static IP and MAC, isolate, no DNS). */
export function netavark(p: Place): Candidate {
  const at = addressing(p, 'n');
  const name = `bpb${p.tag}net`;
  const options = q(
    JSON.stringify({
      container_id: `bpb${p.tag}`.padEnd(64, '0'),
      container_name: `bpb${p.tag}`,
      port_mappings: [
        { host_ip: '127.0.0.1', container_port: 80, host_port: p.port, range: 1, protocol: 'tcp' },
      ],
      networks: { [name]: { static_ips: [at.ip], static_mac: at.mac, aliases: [], interface_name: 'eth0' } },
      network_info: {
        [name]: {
          name,
          id: name.padEnd(64, '0'),
          driver: 'bridge',
          network_interface: at.bridge,
          subnets: [{ subnet: at.subnet, gateway: at.gateway }],
          ipv6_enabled: false,
          internal: false,
          dns_enabled: false,
          options: { isolate: 'true', metric: '100' },
        },
      },
    }),
  );
  const call = (cmd: string) =>
    `${NETAVARK} --config ${q(join(p.dir, 'netavark'))} ${cmd} ${q(at.netns)} <<<${options}`;
  const env = { NETAVARK_FW: 'iptables' };
  return {
    label: 'netavark 1.4 (setup / teardown)',
    at,
    locked: true,
    plumbs: true,
    setup: () => ({ env, lines: [`unshare --net=${q(at.netns)} true`, `${call('setup')} >/dev/null`] }),
    teardown: () => ({ env, lines: [call('teardown'), `umount ${q(at.netns)}`] }),
    rescue: () => ({ env, lines: [call('teardown'), `umount ${q(at.netns)}`] }),
  };
}

/**
 * The CNI plugins as a CNI runtime chains them (bridge with static IPAM, portmap, firewall):
 * one exec per plugin, config on stdin with the previous plugin's result as `prevResult`; DEL
 * in reverse order with the ADD chain's result. Plus the bridge's removal, which netavark does
 * itself when its last interface goes.
 */
export function cni(p: Place): Candidate {
  const at = addressing(p, 'c');
  const result = join(p.dir, 'cni-result.json');
  const common = { cniVersion: '1.0.0', name: `bpb${p.tag}cni` };
  const configs: Array<[string, object]> = [
    [
      'bridge',
      {
        bridge: at.bridge,
        isGateway: true,
        ipMasq: true,
        hairpinMode: true,
        ipam: {
          type: 'static',
          addresses: [{ address: `${at.ip}/24`, gateway: at.gateway }],
          routes: [{ dst: '0.0.0.0/0' }],
        },
      },
    ],
    [
      'portmap',
      {
        capabilities: { portMappings: true },
        runtimeConfig: {
          portMappings: [{ hostPort: p.port, containerPort: 80, protocol: 'tcp', hostIP: '127.0.0.1' }],
        },
      },
    ],
    ['firewall', { backend: 'iptables' }],
  ];
  // Each config without its closing brace, so bash appends `,"prevResult":<json>}` with builtins.
  const open = configs.map(([type, c]) => JSON.stringify({ ...common, type, ...c }).slice(0, -1));
  const assign = open.map((c, i) => `c${i}=${q(c)}`).join('; ');
  const env = { CNI_CONTAINERID: `bpb${p.tag}cni`, CNI_NETNS: at.netns, CNI_IFNAME: 'eth0', CNI_PATH };
  const plugin = (cmd: 'ADD' | 'DEL', i: number, prev: boolean) =>
    `CNI_COMMAND=${cmd} ${CNI_PATH}/${configs[i]?.[0]} <<<"$c${i}${prev ? ',\\"prevResult\\":$r' : ''}}"`;
  const add = (i: number) => `r=$(${plugin('ADD', i, i > 0)}) || { printf '%s\\n' "$r" >&2; exit 1; }`;
  const saved = () => (existsSync(result) ? readFileSync(result, 'utf8') : '');
  const del = (withResult: boolean) => [
    `${assign}; r=${q(withResult ? saved() : '')}`,
    ...[2, 1, 0].map((i) => plugin('DEL', i, withResult)),
    `ip link del ${at.bridge}`,
    `umount ${q(at.netns)}`,
  ];
  return {
    label: 'CNI bridge+portmap+firewall (ADD / DEL)',
    at,
    locked: false,
    plumbs: true,
    setup: () => ({
      env,
      lines: [
        `unshare --net=${q(at.netns)} ip link set lo up`,
        assign,
        add(0),
        add(1),
        add(2),
        `printf '%s' "$r" >${q(result)}`,
      ],
    }),
    teardown: () => ({ env, lines: del(true) }),
    rescue: () => ({ env, lines: del(saved() !== '') }),
  };
}
