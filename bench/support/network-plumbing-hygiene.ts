import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { idleNetavarkCleanup, isolationJumpMissing } from '../../runtime/network/netavark-chains.js';
import { textOf } from './network-plumbing-checks.js';
import {
  CNI_GLOBAL,
  idleCniCleanup,
  NETAVARK_GLOBAL,
  presentChains,
  sweepText,
} from './network-plumbing-rules.js';

/**
 * What bench/network-plumbing.ts found on the host before it started, and the final clean-up:
 * everything named for the run goes (rules, chains, links, namespace mounts); the CNI plugins'
 * and netavark's global chains go only if the bench found none of them and nobody's container
 * uses them now (the engine's tests may be running netavark beside the bench). Then a comparison
 * with the snapshot names anything left.
 */

/** The host's networking as the bench found it. */
export interface HostSnapshot {
  rules: Set<string>;
  netns: Set<string>;
  cniGlobals: string[];
  netavarkGlobals: string[];
}

/** `iptables-save` lines without comments and counters, so two dumps compare line by line. */
function ruleLines(dump: string): string[] {
  return dump
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.replace(/ \[\d+:\d+\]$/, ''));
}

/** Takes the snapshot (iptables rules, `ip netns` names, which global chains exist). */
export function snapshot(): HostSnapshot {
  const dump = textOf('iptables-save', []);
  return {
    rules: new Set(ruleLines(dump)),
    netns: new Set(
      textOf('ip', ['netns', 'list'])
        .split('\n')
        .map((n) => n.split(' ')[0] ?? ''),
    ),
    cniGlobals: presentChains(dump, CNI_GLOBAL),
    netavarkGlobals: presentChains(dump, NETAVARK_GLOBAL),
  };
}

/** Feeds a non-empty ruleset change to `iptables-restore --noflush`. */
function restore(text: string): void {
  if (text)
    execFileSync('iptables-restore', ['--noflush', '-w'], { input: text, stdio: ['pipe', 'ignore', 'pipe'] });
}

/**
 * Removes what the run left (rules naming `markers`, links named with `linkPrefixes`, mounts
 * under `dir`) and the global chains the bench brought (if idle); returns one warning per thing
 * still left compared with `before`. Call it under the netavark lock.
 */
export function cleanUp(
  before: HostSnapshot,
  markers: string[],
  linkPrefixes: string[],
  dir: string,
): string[] {
  const mountsUnder = () =>
    readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((l) => l.split(' ')[4] ?? '')
      .filter((m) => m.startsWith(`${dir}/`));
  for (const m of mountsUnder()) textOf('umount', ['-l', m]);
  const ours = () => readdirSync('/sys/class/net').filter((l) => linkPrefixes.some((p) => l.startsWith(p)));
  for (const link of ours()) textOf('ip', ['link', 'del', link]);
  restore(sweepText(textOf('iptables-save', []), markers));
  if (!before.cniGlobals.length) restore(idleCniCleanup(textOf('iptables-save', [])));
  if (!before.netavarkGlobals.length) restore(idleNetavarkCleanup(textOf('iptables-save', [])));

  const dump = textOf('iptables-save', []);
  const warnings: string[] = [];
  const newRules = ruleLines(dump).filter((l) => !before.rules.has(l));
  const leftRules = newRules.filter((l) => markers.some((m) => l.includes(m)) || l.includes('CNI-'));
  if (leftRules.length) warnings.push(`iptables rules left: ${leftRules.join(' | ')}`);
  const netavarkLeft = before.netavarkGlobals.length ? [] : presentChains(dump, NETAVARK_GLOBAL);
  if (netavarkLeft.length)
    warnings.push(
      `netavark global chains left (another netavark user has rules): ${netavarkLeft.join(', ')}`,
    );
  if (ours().length) warnings.push(`links left: ${ours().join(', ')}`);
  if (mountsUnder().length) warnings.push(`namespace mounts left: ${mountsUnder().join(', ')}`);
  const netns = textOf('ip', ['netns', 'list'])
    .split('\n')
    .map((n) => n.split(' ')[0] ?? '')
    .filter((n) => n && !before.netns.has(n));
  if (netns.length)
    warnings.push(`new ip netns entries (not the bench's, it uses files): ${netns.join(', ')}`);
  return warnings;
}

/**
 * Netavark 1.4's teardown of an isolated network deletes FORWARD's jump to NETAVARK_ISOLATION_1
 * even while other isolated networks (another engine's) still have rules there, which silently
 * ends their isolation until the next setup. After each of its teardowns the bench puts the jump
 * back (first in FORWARD, where netavark inserts it) when that is the case. Call under the lock.
 */
export function restoreIsolationJump(): boolean {
  if (!isolationJumpMissing(textOf('iptables-save', ['-t', 'filter']))) return false;
  execFileSync('iptables', ['-w', '-I', 'FORWARD', '1', '-j', 'NETAVARK_ISOLATION_1']);
  return true;
}
