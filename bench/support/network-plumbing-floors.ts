import type { Candidate } from './network-plumbing-candidates.js';
import { addressing, type Place } from './network-plumbing-checks.js';
import { shellQuote as q } from './network-plumbing-shell.js';

/**
 * The floors bench/network-plumbing.ts sets netavark and CNI against: what a hand-written engine
 * does at best for the same container (one `ip -batch` inside the new namespace, run by the
 * `unshare` that creates it, one on the host, one `iptables-restore --noflush` of the equivalent
 * rules), and a bare namespace alone (`unshare --net` + `umount`).
 */

/** The chains the hand-written floor puts its rules in (named for the run, so a sweep finds them). */
export function floorChains(tag: string) {
  return { dnat: `BPB-${tag}-DN`, post: `BPB-${tag}-PR`, forward: `BPB-${tag}-FW` };
}

/** Hand-written: veth made from inside the namespace, bridge and rules from the host, all batched. */
export function handWritten(p: Place): Candidate {
  const at = addressing(p, 'f');
  const veth = `bpv${p.tag}f`;
  const ch = floorChains(p.tag);
  const inside = [
    'link set lo up',
    `link add eth0 type veth peer name ${veth} netns /proc/${process.pid}/ns/net`,
    `link set eth0 address ${at.mac}`,
    `addr add ${at.ip}/24 dev eth0`,
    'link set eth0 up',
    `route add default via ${at.gateway} dev eth0`,
  ];
  const host = [
    `link add ${at.bridge} type bridge`,
    `addr add ${at.gateway}/24 dev ${at.bridge}`,
    `link set ${at.bridge} up`,
    `link set ${veth} master ${at.bridge}`,
    `link set ${veth} type bridge_slave hairpin on`,
    `link set ${veth} up`,
  ];
  const jumps = {
    nat: [
      `PREROUTING -m addrtype --dst-type LOCAL -j ${ch.dnat}`,
      `OUTPUT -m addrtype --dst-type LOCAL -j ${ch.dnat}`,
      `POSTROUTING -j ${ch.post}`,
    ],
    filter: [`FORWARD -j ${ch.forward}`],
  };
  const rules = [
    '*nat',
    `:${ch.dnat} - [0:0]`,
    `:${ch.post} - [0:0]`,
    ...jumps.nat.map((j) => `-I ${j}`),
    `-A ${ch.dnat} -d 127.0.0.1/32 -p tcp -m tcp --dport ${p.port} -j DNAT --to-destination ${at.ip}:80`,
    `-A ${ch.post} -s ${at.subnet} ! -o ${at.bridge} -j MASQUERADE`,
    `-A ${ch.post} -s 127.0.0.0/8 -o ${at.bridge} -j MASQUERADE`,
    'COMMIT',
    '*filter',
    `:${ch.forward} - [0:0]`,
    ...jumps.filter.map((j) => `-I ${j}`),
    `-A ${ch.forward} -d ${at.subnet} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
    `-A ${ch.forward} -s ${at.subnet} -j ACCEPT`,
    'COMMIT',
  ];
  const removal = [
    '*nat',
    ...jumps.nat.map((j) => `-D ${j}`),
    `-F ${ch.dnat}`,
    `-F ${ch.post}`,
    `-X ${ch.dnat}`,
    `-X ${ch.post}`,
    'COMMIT',
    '*filter',
    ...jumps.filter.map((j) => `-D ${j}`),
    `-F ${ch.forward}`,
    `-X ${ch.forward}`,
    'COMMIT',
  ];
  const teardown = [
    `iptables-restore --noflush -w <<<${q(removal.join('\n'))}`,
    `ip -batch - <<<${q(`link del ${veth}\nlink del ${at.bridge}`)}`,
    `umount ${q(at.netns)}`,
  ];
  return {
    label: 'floor: hand-written (2 ip -batch + 1 iptables-restore)',
    at,
    locked: false,
    plumbs: true,
    setup: () => ({
      lines: [
        `unshare --net=${q(at.netns)} ip -batch - <<<${q(inside.join('\n'))}`,
        `ip -batch - <<<${q(host.join('\n'))}`,
        `echo 1 >/proc/sys/net/ipv4/conf/${at.bridge}/route_localnet`,
        `iptables-restore --noflush -w <<<${q(rules.join('\n'))}`,
      ],
    }),
    teardown: () => ({ lines: teardown }),
    rescue: () => ({ lines: teardown }),
  };
}

/** A bare namespace: `unshare --net=<file> true`, then `umount`; nothing to check but the mount. */
export function bareNamespace(p: Place): Candidate {
  const at = addressing(p, 'u');
  const umount = `umount ${q(at.netns)}`;
  return {
    label: 'floor: bare unshare --net + umount',
    at,
    locked: false,
    plumbs: false,
    setup: () => ({ lines: [`unshare --net=${q(at.netns)} true`] }),
    teardown: () => ({ lines: [umount] }),
    rescue: () => ({ lines: [umount] }),
  };
}
