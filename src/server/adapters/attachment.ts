import { PUSHES_IN_SNAPSHOT, type SessionSnapshot } from '../peer-session.ts';

/**
 * A session's snapshot as a socket attachment, small whatever it negotiated: the common
 * STypes as a bit set (hex) over the server's sorted STypes, with a fingerprint of that list
 * to tell a server that serves other STypes now (as many, but one swapped for another). An attachment has a size limit (2 KiB on Cloudflare
 * once, 16 KiB in workerd today): a list of a few hundred STypes would not fit.
 */
export interface Attachment {
  path: string;
  handshaken: boolean;
  /** Bit i set: the server's i-th SType is common. */
  common: string;
  /** The fingerprint of the server's STypes the bits are set over (see `servedFingerprint`). */
  served: string;
  profile: string | null;
  hellos: number;
  /** The snapshot's `pushed`: ids of the latest pushes (absent when they did not fit). */
  pushed?: string[];
  /** The snapshot's `heardAt` (before the handshake). */
  heardAt?: number;
}

const fingerprints = new WeakMap<readonly string[], string>();

/** FNV-1a (32 bits) of the sorted STypes, one a line, with their count: made once per list. */
function servedFingerprint(stypes: readonly string[]): string {
  let fingerprint = fingerprints.get(stypes);
  if (fingerprint === undefined) {
    let h = 0x811c9dc5;
    const text = stypes.join('\n');
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    fingerprint = `${stypes.length}:${(h >>> 0).toString(16)}`;
    fingerprints.set(stypes, fingerprint);
  }
  return fingerprint;
}

/** Push ids kept in an attachment: the snapshot's last `PUSHES_IN_SNAPSHOT`, each of at most `ID_CHARS` characters read back. */
const ID_CHARS = 256;

/** Packs a snapshot against `stypes` (the server's, sorted); `withPushes: false` leaves its push ids out. */
export function toAttachment(snapshot: SessionSnapshot, stypes: readonly string[], withPushes = true): Attachment {
  const bits = new Uint8Array(Math.ceil(stypes.length / 8));
  const common = new Set(snapshot.commonStypes);
  stypes.forEach((stype, i) => {
    if (common.has(stype)) bits[i >> 3]! |= 1 << (i & 7);
  });
  return {
    path: snapshot.path, handshaken: snapshot.handshaken, profile: snapshot.profile, hellos: snapshot.hellos,
    common: Array.from(bits, (b) => b.toString(16).padStart(2, '0')).join(''), served: servedFingerprint(stypes),
    ...(withPushes && snapshot.pushed?.length ? { pushed: snapshot.pushed.slice(-PUSHES_IN_SNAPSHOT) } : {}),
    ...(snapshot.heardAt !== undefined ? { heardAt: snapshot.heardAt } : {}),
  };
}

/** The snapshot an attachment holds, or undefined when it is not one or was packed against other STypes. */
export function fromAttachment(value: unknown, stypes: readonly string[]): SessionSnapshot | undefined {
  const a = value as Partial<Attachment> | null;
  if (typeof a !== 'object' || a === null || typeof a.path !== 'string' || typeof a.common !== 'string' || a.served !== servedFingerprint(stypes)) return undefined;
  const common = a.common;
  const commonStypes = stypes.filter((_, i) => (Number.parseInt(common.slice((i >> 3) * 2, (i >> 3) * 2 + 2), 16) >> (i & 7)) & 1);
  const pushed = Array.isArray(a.pushed) ? a.pushed.slice(-PUSHES_IN_SNAPSHOT).filter((id): id is string => typeof id === 'string' && id.length <= ID_CHARS) : [];
  const snapshot: SessionSnapshot = { path: a.path, handshaken: a.handshaken === true, commonStypes, profile: typeof a.profile === 'string' ? a.profile : null, hellos: Number(a.hellos) || 0, pushed };
  if (typeof a.heardAt === 'number' && Number.isFinite(a.heardAt)) snapshot.heardAt = a.heardAt;
  return snapshot;
}
