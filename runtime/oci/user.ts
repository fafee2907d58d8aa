import { invalid } from '../errors.js';

/** The identity a container process runs as. */
export interface ProcessUser {
  uid: number;
  gid: number;
  additionalGids: number[];
  /** The user's home from /etc/passwd (for `HOME`), when known. */
  home?: string;
}

/** Bounds on what we parse from a container's /etc/passwd and /etc/group (hostile images). */
export const USER_DB_LIMITS = { bytes: 1024 * 1024, lines: 65536, groupMembers: 65536 } as const;

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}
interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

function lines(text: string | undefined): string[][] {
  if (!text) return [];
  return text
    .slice(0, USER_DB_LIMITS.bytes)
    .split('\n', USER_DB_LIMITS.lines)
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(':'));
}

const isId = (s: string) => /^\d{1,10}$/.test(s) && Number(s) <= 0xffffffff;

/** Parses /etc/passwd text (bounded); malformed lines are skipped as libc does. */
export function parsePasswd(text: string | undefined): PasswdEntry[] {
  return lines(text)
    .filter((f) => f.length >= 7 && isId(f[2] ?? '') && isId(f[3] ?? ''))
    .map((f) => ({ name: f[0] ?? '', uid: Number(f[2]), gid: Number(f[3]), home: f[5] ?? '/' }));
}

/** Parses /etc/group text (bounded). */
export function parseGroup(text: string | undefined): GroupEntry[] {
  return lines(text)
    .filter((f) => f.length >= 4 && isId(f[2] ?? ''))
    .map((f) => ({
      name: f[0] ?? '',
      gid: Number(f[2]),
      members: (f[3] ?? '').split(',', USER_DB_LIMITS.groupMembers).filter(Boolean),
    }));
}

/**
 * Resolves Docker's `User` (`name`, `uid`, `name:group`, `uid:gid`, empty = root) against the
 * container's own user database, with supplementary groups from /etc/group and `GroupAdd`, as
 * Docker does: a numeric uid need not exist; a name must.
 */
export function resolveUser(
  spec: string | undefined,
  passwdText: string | undefined,
  groupText: string | undefined,
  groupAdd: string[] = [],
): ProcessUser {
  const [userPart = '', groupPart] = (spec ?? '').split(':', 2);
  const users = parsePasswd(passwdText);
  const groups = parseGroup(groupText);
  const user =
    userPart === ''
      ? users.find((u) => u.uid === 0)
      : users.find((u) => u.name === userPart || (isId(userPart) && u.uid === Number(userPart)));
  let uid: number;
  if (userPart === '') uid = 0;
  else if (isId(userPart)) uid = Number(userPart);
  else if (user) uid = user.uid;
  else throw invalid(`unable to find user ${userPart}: no matching entries in passwd file`);
  let gid = user?.gid ?? 0;
  if (groupPart !== undefined && groupPart !== '') gid = groupId(groupPart, groups);
  const supplementary = new Set<number>();
  if (user && (groupPart === undefined || groupPart === '')) {
    for (const g of groups) if (g.members.includes(user.name) && g.gid !== gid) supplementary.add(g.gid);
  }
  for (const g of groupAdd) supplementary.add(groupId(g, groups));
  const out: ProcessUser = { uid, gid, additionalGids: [...supplementary].sort((a, b) => a - b) };
  if (user) out.home = user.home;
  return out;
}

function groupId(name: string, groups: GroupEntry[]): number {
  if (isId(name)) return Number(name);
  const g = groups.find((e) => e.name === name);
  if (!g) throw invalid(`unable to find group ${name}: no matching entries in group file`);
  return g.gid;
}
