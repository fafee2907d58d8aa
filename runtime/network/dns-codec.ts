import { parseIp6, reverseAddress6 } from './ipam6.js';

/**
 * The little of RFC 1035 the embedded resolver needs: read a query's first question, and write
 * a response carrying A, AAAA or PTR answers (or an empty answer / an error code). Pure functions.
 */

/** Query types the resolver answers itself. */
export const TYPE_A = 1;
export const TYPE_PTR = 12;
export const TYPE_AAAA = 28;

/** Response codes. */
export const NOERROR = 0;
export const FORMERR = 1;
export const SERVFAIL = 2;
export const NXDOMAIN = 3;
export const REFUSED = 5;

/** The parts of a query the resolver looks at. */
export interface DnsQuestion {
  id: number;
  /** Whether the client asked for recursion (echoed in the response). */
  recursionDesired: boolean;
  /** The name, lower-cased, without the trailing dot. */
  name: string;
  type: number;
  qclass: number;
  /** Byte offset just past the question (the question is echoed from the raw bytes). */
  end: number;
}

/** Parses a query's header and first question; undefined when it is not a well-formed query. */
export function parseQuery(msg: Buffer): DnsQuestion | undefined {
  if (msg.length < 12) return undefined;
  const flags = msg.readUInt16BE(2);
  if (flags & 0x8000 || msg.readUInt16BE(4) < 1) return undefined;
  const labels: string[] = [];
  let at = 12;
  for (;;) {
    if (at >= msg.length) return undefined;
    const len = msg[at] ?? 0;
    if (len === 0) break;
    if (len > 63 || at + 1 + len > msg.length) return undefined;
    labels.push(msg.subarray(at + 1, at + 1 + len).toString('latin1'));
    at += 1 + len;
  }
  at += 1;
  if (at + 4 > msg.length) return undefined;
  return {
    id: msg.readUInt16BE(0),
    recursionDesired: Boolean(flags & 0x0100),
    name: labels.join('.').toLowerCase(),
    type: msg.readUInt16BE(at),
    qclass: msg.readUInt16BE(at + 2),
    end: at + 4,
  };
}

/** One answer record for the question's name. */
export type DnsAnswer =
  | { type: typeof TYPE_A; address: string }
  | { type: typeof TYPE_AAAA; address: string }
  | { type: typeof TYPE_PTR; target: string };

/** Encodes a domain name as length-prefixed labels. */
function encodeName(name: string): Buffer {
  const parts = name.split('.').filter(Boolean);
  const chunks = parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p, 'latin1')]));
  return Buffer.concat([...chunks, Buffer.from([0])]);
}

/** Encodes one resource record whose owner is the question's name (a pointer to offset 12). */
function encodeAnswer(answer: DnsAnswer, ttl: number): Buffer {
  const rdata =
    answer.type === TYPE_A
      ? Buffer.from(answer.address.split('.').map(Number))
      : answer.type === TYPE_AAAA
        ? Buffer.from(parseIp6(answer.address).toString(16).padStart(32, '0'), 'hex')
        : encodeName(answer.target);
  const head = Buffer.alloc(12);
  head.writeUInt16BE(0xc00c, 0);
  head.writeUInt16BE(answer.type, 2);
  head.writeUInt16BE(1, 4);
  head.writeUInt32BE(ttl, 6);
  head.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([head, rdata]);
}

/** A response to `query` (the raw query bytes) with these answers and response code. */
export function buildResponse(
  query: Buffer,
  q: DnsQuestion,
  rcode: number,
  answers: DnsAnswer[],
  ttl = 600,
): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(q.id, 0);
  // QR=1, AA=1 for names we own, RD echoed, RA=1.
  header.writeUInt16BE(0x8000 | 0x0400 | (q.recursionDesired ? 0x0100 : 0) | 0x0080 | (rcode & 0xf), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  return Buffer.concat([header, query.subarray(12, q.end), ...answers.map((a) => encodeAnswer(a, ttl))]);
}

/**
 * The address a reverse name stands for: IPv4 (`4.3.2.1.in-addr.arpa`) or IPv6 (32 nibbles under
 * `ip6.arpa`, RFC 3596), in the form the state stores; undefined for any other name.
 */
export function reverseAddress(name: string): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\.in-addr\.arpa$/.exec(name);
  return m ? [m[4], m[3], m[2], m[1]].join('.') : reverseAddress6(name);
}
