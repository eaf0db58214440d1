// Jupyter's wire protocol (messaging spec 5.3): the connection file, message headers, and the
// multipart frames a message travels in, signed with HMAC over header, parent, metadata and
// content with the connection file's key.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';

/** The protocol version this kernel speaks. */
export const PROTOCOL_VERSION = '5.3';

/** Separates the routing identities from the signed parts of a message. */
const DELIMITER = Buffer.from('<IDS|MSG>');

/** What the front end writes to the connection file the kernel is started with. */
export interface ConnectionInfo {
  transport: 'tcp' | 'ipc';
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: string;
}

/** The five channels and the port each one binds. */
export const CHANNELS = ['shell', 'iopub', 'stdin', 'control', 'hb'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * Reads and checks a connection file.
 * @throws naming the file and the field when it is missing or malformed
 */
export function readConnectionFile(file: string): ConnectionInfo {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`kernel: cannot read the connection file ${file}: ${(e as Error).message}`);
  }
  const info = raw as Partial<ConnectionInfo>;
  const bad = (field: string, want: string) => new Error(`kernel: connection file ${file}: ${field} must be ${want}, got ${JSON.stringify((info as Record<string, unknown>)[field])}`);
  if (info.transport !== 'tcp' && info.transport !== 'ipc') throw bad('transport', '"tcp" or "ipc"');
  if (typeof info.ip !== 'string' || info.ip === '') throw bad('ip', 'a host address');
  for (const channel of CHANNELS) {
    const port = (info as Record<string, unknown>)[`${channel}_port`];
    if (!Number.isInteger(port) || (port as number) < 0) throw bad(`${channel}_port`, 'a port number');
  }
  if (typeof info.key !== 'string') throw bad('key', 'a string (empty: messages are not signed)');
  const scheme = info.signature_scheme ?? 'hmac-sha256';
  if (!/^hmac-[a-z0-9-]+$/.test(scheme)) throw bad('signature_scheme', 'hmac-<digest>, e.g. "hmac-sha256"');
  return { ...(info as ConnectionInfo), signature_scheme: scheme };
}

/** The ZeroMQ address of one channel, e.g. tcp://127.0.0.1:53794. */
export function channelAddress(info: ConnectionInfo, channel: Channel): string {
  const port = info[`${channel}_port`];
  return info.transport === 'tcp' ? `tcp://${info.ip}:${port}` : `ipc://${info.ip}-${port}`;
}

/** A message header. `date` is ISO 8601. */
export interface Header {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
  [extra: string]: unknown;
}

/** One message, with the routing identities it came with (replies go back along them). */
export interface Message<C = Record<string, unknown>> {
  identities: Buffer[];
  header: Header;
  /** The header of the request this message answers, or {} (a message nobody asked for). */
  parent_header: Header | Record<string, never>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: Buffer[];
}

/** Signs, verifies, encodes and decodes messages for one kernel session. */
export class Session {
  private readonly digest: string | null;

  /**
   * @param id this session's id, which every header it writes carries (default: a fresh one;
   *   the kernel's threads share theirs)
   */
  constructor(
    private readonly key: string,
    scheme = 'hmac-sha256',
    private readonly username = 'kernel',
    readonly id: string = randomUUID(),
  ) {
    this.digest = key === '' ? null : scheme.slice('hmac-'.length);
    if (this.digest !== null) createHmac(this.digest, key); // throws now for a digest Node does not have
  }

  /** A fresh header for a message of this type. */
  header(msgType: string): Header {
    return { msg_id: randomUUID(), session: this.id, username: this.username, date: new Date().toISOString(), msg_type: msgType, version: PROTOCOL_VERSION };
  }

  /**
   * A message of `msgType` in answer to `parent` (or to nobody: null), going back to the
   * parent's identities when it is a reply on a router socket.
   */
  make<C>(msgType: string, content: C, parent: Message<unknown> | null, metadata: Record<string, unknown> = {}): Message<C> {
    return {
      identities: parent?.identities ?? [],
      header: this.header(msgType),
      parent_header: parent?.header ?? {},
      metadata,
      content,
      buffers: [],
    };
  }

  private sign(parts: (Buffer | string)[]): string {
    if (this.digest === null) return '';
    const hmac = createHmac(this.digest, this.key);
    for (const p of parts) hmac.update(p);
    return hmac.digest('hex');
  }

  /** The frames of `msg`: identities, delimiter, signature, four JSON parts, buffers. */
  encode(msg: Message<unknown>): Buffer[] {
    const parts = [msg.header, msg.parent_header, msg.metadata, msg.content].map((p) => Buffer.from(JSON.stringify(p)));
    return [...msg.identities, DELIMITER, Buffer.from(this.sign(parts)), ...parts, ...msg.buffers];
  }

  /**
   * The message in `frames`.
   * @throws when the delimiter is missing, the signature does not match, or a part is not JSON
   */
  decode(frames: Buffer[]): Message {
    const at = frames.findIndex((f) => f.equals(DELIMITER));
    if (at < 0) throw new Error('no <IDS|MSG> delimiter in the message');
    if (frames.length < at + 6) throw new Error(`a message needs a signature and 4 parts after the delimiter, got ${frames.length - at - 1} frames`);
    const signature = frames[at + 1];
    const parts = frames.slice(at + 2, at + 6);
    if (this.digest !== null) {
      const want = Buffer.from(this.sign(parts));
      if (signature.length !== want.length || !timingSafeEqual(signature, want)) throw new Error('invalid signature (HMAC of the message does not match the key)');
    }
    const [header, parent, metadata, content] = parts.map((p) => JSON.parse(p.toString('utf8')) as unknown);
    return {
      identities: frames.slice(0, at),
      header: header as Header,
      parent_header: parent as Header,
      metadata: metadata as Record<string, unknown>,
      content: content as Record<string, unknown>,
      buffers: frames.slice(at + 6),
    };
  }
}

/** What {@link Outbox} needs of a ZeroMQ socket. */
export interface Sender {
  send(frames: Buffer[]): Promise<void>;
}

/**
 * Sends a socket's messages in order, one at a time. zeromq.js allows one send in progress per
 * socket, and after 512 sends that completed at once it defers the next one to the event loop:
 * a send made meanwhile throws EBUSY at the caller (a kernel that sends 500 outputs without
 * waiting would lose a message or end). A send waits for the one before it only when that one is
 * still in progress.
 */
export class Outbox {
  private inFlight: Promise<void> | null = null;

  /** @param failed told about a message that could not be sent (its type and the error) */
  constructor(
    private readonly socket: Sender,
    private readonly failed: (what: string, e: Error) => void,
  ) {}

  send(frames: Buffer[], what: string): void {
    const attempt = (): Promise<void> => {
      try {
        return this.socket.send(frames);
      } catch (e) {
        return Promise.reject(e);
      }
    };
    const sent = (this.inFlight === null ? attempt() : this.inFlight.then(attempt)).catch((e: Error) => this.failed(what, e));
    this.inFlight = sent;
    void sent.then(() => {
      if (this.inFlight === sent) this.inFlight = null;
    });
  }
}
