/**
 * DNS over UDP answers at most 512 bytes (RFC 1035 4.2.1), or the size the client advertises
 * in an EDNS0 OPT record (RFC 6891). A longer response keeps the whole answer records that fit
 * and sets the TC flag, so the client asks again over TCP, which the resolver also serves.
 */

const HEADER = 12;
const TYPE_OPT = 41;
/** RFC 1035's UDP payload limit for clients that do not advertise more. */
export const CLASSIC_UDP_LIMIT = 512;

/** Offset just past the (possibly compressed) name at `at`; undefined when it runs off the end. */
function skipName(msg: Buffer, at: number): number | undefined {
  for (let i = at; i < msg.length; ) {
    const len = msg[i] ?? 0;
    if (len === 0) return i + 1;
    if ((len & 0xc0) === 0xc0) return i + 2 <= msg.length ? i + 2 : undefined;
    i += 1 + len;
  }
  return undefined;
}

/** Offset just past the resource record at `at`. */
function skipRecord(msg: Buffer, at: number): number | undefined {
  const name = skipName(msg, at);
  if (name === undefined || name + 10 > msg.length) return undefined;
  const end = name + 10 + msg.readUInt16BE(name + 8);
  return end <= msg.length ? end : undefined;
}

/** Offset just past the question section. */
function skipQuestions(msg: Buffer): number | undefined {
  let at: number | undefined = HEADER;
  for (let n = msg.readUInt16BE(4); n > 0 && at !== undefined; n--) {
    const name = skipName(msg, at);
    at = name === undefined ? undefined : name + 4;
  }
  return at !== undefined && at <= msg.length ? at : undefined;
}

/** The UDP payload size the query's client accepts: its EDNS0 OPT size, else 512. */
export function udpLimit(query: Buffer): number {
  if (query.length < HEADER) return CLASSIC_UDP_LIMIT;
  let at = skipQuestions(query);
  const skip = query.readUInt16BE(6) + query.readUInt16BE(8);
  for (let i = 0; i < skip && at !== undefined; i++) at = skipRecord(query, at);
  for (let n = query.readUInt16BE(10); n > 0 && at !== undefined; n--) {
    const name = skipName(query, at);
    if (name === undefined || name + 4 > query.length) break;
    if (query.readUInt16BE(name) === TYPE_OPT)
      return Math.max(CLASSIC_UDP_LIMIT, query.readUInt16BE(name + 2));
    at = skipRecord(query, at);
  }
  return CLASSIC_UDP_LIMIT;
}

/**
 * The response as it may go over UDP to a client accepting `limit` bytes: unchanged when it
 * fits, else the header and question with as many whole answers as fit and TC set.
 */
export function fitForUdp(reply: Buffer, limit: number): Buffer {
  if (reply.length <= limit || reply.length < HEADER) return reply;
  const questionEnd = skipQuestions(reply);
  if (questionEnd === undefined || questionEnd > limit) return reply.subarray(0, Math.min(limit, HEADER));
  let end = questionEnd;
  let answers = 0;
  for (let n = reply.readUInt16BE(6); n > 0; n--) {
    const next = skipRecord(reply, end);
    if (next === undefined || next > limit) break;
    end = next;
    answers++;
  }
  const out = Buffer.from(reply.subarray(0, end));
  out.writeUInt16BE(out.readUInt16BE(2) | 0x0200, 2);
  out.writeUInt16BE(answers, 6);
  out.writeUInt16BE(0, 8);
  out.writeUInt16BE(0, 10);
  return out;
}
