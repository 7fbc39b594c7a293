import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { SwarmdeckError } from '../../../shared/errors';
import type { EnvelopeHeader } from '../../../shared/contract/messaging';

/**
 * The wire form of a message: `SDM1`, a flags byte, the header's length (uint16), the header
 * (JSON: id, time, publisher, type, body length, key id, correlation), then the body — the
 * payload's JSON, deflated when large, sealed with AES-256-GCM when a keyring is given (the
 * header is the cipher's additional data, so a changed header fails like a changed body).
 */
const MAGIC = Buffer.from('SDM1');
const FLAG_DEFLATE = 1;
const FLAG_SEALED = 2;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_.-]{1,32}$/;

export interface Envelope<T = unknown> extends EnvelopeHeader {
  payload: T;
}

export interface EncodeOptions {
  /** Deflate bodies larger than this many bytes. Default 1 KiB. */
  compressAbove?: number;
  /** Seal with the keyring's current key. */
  keyring?: Keyring;
}

function bad(message: string, details?: Record<string, unknown>): SwarmdeckError {
  return new SwarmdeckError('BAD_MESSAGE', message, details);
}

/**
 * AES-256-GCM keys derived (HKDF-SHA-256) from one secret that stays in the process: Redis
 * only ever sees a key's id. Rotation adds a key and makes it current; the old ones still open
 * what was sealed with them until they are retired.
 */
export class Keyring {
  private readonly keys = new Map<string, Buffer>();
  private currentId: string;

  constructor(
    private readonly secret: Buffer,
    keyIds: string[],
  ) {
    if (secret.length < 16) throw new SwarmdeckError('VALIDATION', 'A messaging secret holds at least 16 bytes');
    if (keyIds.length === 0) throw new SwarmdeckError('VALIDATION', 'A keyring needs at least one key id');
    for (const id of keyIds) this.add(id);
    this.currentId = keyIds.at(-1) as string;
  }

  get current(): string {
    return this.currentId;
  }

  get ids(): string[] {
    return [...this.keys.keys()];
  }

  /** Makes `id` the key new messages are sealed with; the others still open old messages. */
  rotate(id: string): void {
    this.add(id);
    this.currentId = id;
  }

  /** Messages sealed with `id` are refused from now on. The current key cannot be retired. */
  retire(id: string): void {
    if (id === this.currentId) throw new SwarmdeckError('CONFLICT', `Key ${id} is the current key: rotate to another before retiring it`);
    this.keys.delete(id);
  }

  key(id: string): Buffer | undefined {
    return this.keys.get(id);
  }

  private add(id: string): void {
    if (!KEY_ID.test(id)) throw new SwarmdeckError('VALIDATION', `"${id}" is not a key id (1–32 letters, digits, _ . -)`);
    if (!this.keys.has(id)) this.keys.set(id, Buffer.from(hkdfSync('sha256', this.secret, 'swarmdeck-messaging', id, 32)));
  }
}

export function newHeader(publisher: string, type: string, extra: Partial<EnvelopeHeader> = {}, now = Date.now()): EnvelopeHeader {
  return { id: randomUUID(), time: now, publisher, type, ...extra };
}

/**
 * The largest payload a message may carry, before compression. A receiver inflates no further,
 * so a small compressed body that would inflate to gigabytes (a compression bomb) is refused.
 */
export const MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

export function encodeEnvelope(header: EnvelopeHeader, payload: unknown, options: EncodeOptions = {}): Buffer {
  const json = JSON.stringify(payload ?? null);
  let body: Buffer = Buffer.from(json);
  if (body.length > MAX_PAYLOAD_BYTES)
    throw new SwarmdeckError(
      'VALIDATION',
      `A message payload holds at most ${MAX_PAYLOAD_BYTES / 1024 / 1024} MiB; this one is ${body.length} bytes`,
    );
  let flags = 0;
  if (body.length > (options.compressAbove ?? 1024)) {
    body = deflateRawSync(body);
    flags |= FLAG_DEFLATE;
  }
  const wire: EnvelopeHeader = { ...header, bytes: body.length };
  if (options.keyring) {
    flags |= FLAG_SEALED;
    wire.keyId = options.keyring.current;
  } else {
    delete wire.keyId;
  }
  const head = Buffer.from(JSON.stringify(wire));
  if (head.length > 0xffff) throw new SwarmdeckError('VALIDATION', 'The message header is larger than 64 KiB');
  const prefix = Buffer.alloc(MAGIC.length + 3);
  MAGIC.copy(prefix);
  prefix.writeUInt8(flags, MAGIC.length);
  prefix.writeUInt16BE(head.length, MAGIC.length + 1);
  if (options.keyring) {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', options.keyring.key(options.keyring.current) as Buffer, iv);
    cipher.setAAD(Buffer.concat([prefix, head]));
    const sealed = Buffer.concat([cipher.update(body), cipher.final()]);
    return Buffer.concat([prefix, head, iv, cipher.getAuthTag(), sealed]);
  }
  return Buffer.concat([prefix, head, body]);
}

export interface DecodedHeader {
  header: EnvelopeHeader;
  compressed: boolean;
  sealed: boolean;
  /** Where the body starts. */
  offset: number;
  prefix: Buffer;
}

/** Reads the header alone (what the viewer shows of a message it cannot open). */
export function decodeHeader(wire: Buffer): DecodedHeader {
  if (wire.length < MAGIC.length + 3 || !wire.subarray(0, MAGIC.length).equals(MAGIC))
    throw bad('Not a Swarmdeck message (no SDM1 envelope)');
  const flags = wire.readUInt8(MAGIC.length);
  if ((flags & ~(FLAG_DEFLATE | FLAG_SEALED)) !== 0) throw bad(`Unknown envelope flags ${flags}`);
  const headLength = wire.readUInt16BE(MAGIC.length + 1);
  const offset = MAGIC.length + 3 + headLength;
  if (wire.length < offset) throw bad('Truncated message: the header is cut short');
  let parsed: unknown;
  try {
    parsed = JSON.parse(wire.subarray(MAGIC.length + 3, offset).toString('utf8'));
  } catch {
    throw bad('Corrupt message header (not JSON)');
  }
  const h = parsed as Partial<EnvelopeHeader>;
  if (
    typeof h !== 'object' ||
    h === null ||
    typeof h.id !== 'string' ||
    typeof h.time !== 'number' ||
    typeof h.publisher !== 'string' ||
    typeof h.type !== 'string' ||
    typeof h.bytes !== 'number'
  ) {
    throw bad('Corrupt message header (missing id, time, publisher, type or length)');
  }
  const sealed = (flags & FLAG_SEALED) !== 0;
  if (sealed && typeof h.keyId !== 'string') throw bad('Sealed message without a key id');
  return { header: h as EnvelopeHeader, compressed: (flags & FLAG_DEFLATE) !== 0, sealed, offset, prefix: wire.subarray(0, offset) };
}

/** Opens a message: typed `BAD_MESSAGE` for anything tampered, truncated or sealed with an unknown key — never garbage. */
export function decodeEnvelope<T = unknown>(wire: Buffer, keyring?: Keyring): Envelope<T> {
  const { header, compressed, sealed, offset, prefix } = decodeHeader(wire);
  let body = wire.subarray(offset);
  if (sealed) {
    const keyId = header.keyId as string;
    if (!keyring) throw bad(`Message ${header.id} is sealed with key ${keyId} and no keyring is loaded`, { keyId });
    const key = keyring.key(keyId);
    if (!key) throw bad(`Message ${header.id} is sealed with key ${keyId}, which is unknown or retired`, { keyId });
    if (body.length < IV_BYTES + TAG_BYTES) throw bad(`Truncated message ${header.id}: no room for its seal`);
    const decipher = createDecipheriv('aes-256-gcm', key, body.subarray(0, IV_BYTES));
    decipher.setAAD(prefix);
    decipher.setAuthTag(body.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      body = Buffer.concat([decipher.update(body.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch {
      throw bad(`Message ${header.id} failed its integrity check (tampered, truncated or another key)`, { keyId });
    }
  }
  if (body.length !== header.bytes)
    throw bad(`Truncated or padded message ${header.id}: ${body.length} body bytes, the header says ${header.bytes}`);
  if (compressed) {
    try {
      body = inflateRawSync(body, { maxOutputLength: MAX_PAYLOAD_BYTES });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
        throw bad(`Message ${header.id} inflates past ${MAX_PAYLOAD_BYTES / 1024 / 1024} MiB: refused unread (a compression bomb?)`);
      throw bad(`Message ${header.id} does not inflate (corrupt compressed body)`);
    }
  }
  let payload: T;
  try {
    payload = JSON.parse(body.toString('utf8')) as T;
  } catch {
    throw bad(`Message ${header.id} has a corrupt body (not JSON)`);
  }
  return { ...header, payload };
}
