// The kernel's second thread: the heartbeat, the control channel and IOPub. It works while the
// main thread runs a cell, even a cell stuck in a synchronous loop:
// - IOPub: the main thread hands over every output message (postMessage queues it at once); this
//   thread sends them in order, joining stdout/stderr text for up to 50 ms, so what a cell printed
//   shows while the cell still computes;
// - an interrupt marks the running cell interrupted in the memory both threads share, which the
//   cell's compiled loops and awaits check; if the cell still runs a moment later, the process
//   gets SIGINT, which stops synchronous library code vm runs with breakOnSigint;
// - a shutdown asks the main thread to stop, and ends the process itself when it cannot answer.
//
// Control requests are answered without busy/idle on IOPub: a status for an interrupt or a
// kernel_info sent while a cell runs would tell the front end the kernel is idle when it is not.
import { parentPort, workerData } from 'node:worker_threads';
import * as zmq from 'zeromq';
import { INTERRUPTED, OWN_SIGNALS, RUNNING } from './interrupt_flags';
import { channelAddress, ConnectionInfo, Header, Message, Outbox, Session } from './wire';

/** What the main thread gives this thread. */
export interface IoThreadData {
  connection: ConnectionInfo;
  /** The main thread's session id: every message of the kernel carries the same. */
  session: string;
  /** The kernel_info_reply content (it does not change while the kernel runs). */
  kernelInfo: Record<string, unknown>;
  /** The interrupt flags both threads share (interrupt_flags.ts). */
  flags: SharedArrayBuffer;
}

/** Messages from this thread to the main thread. */
export type IoEvent = { type: 'ready' } | { type: 'interrupt'; run: number } | { type: 'shutdown'; restart: boolean } | { type: 'log'; text: string } | { type: 'stopped' };

/** Messages from the main thread to this one. */
export type IoCommand =
  /** An IOPub message about the request whose header is `parent` (null: about none). */
  | { type: 'publish'; msgType: string; content: Record<string, unknown>; parent: Header | null }
  /** Text the running code wrote to stdout or stderr. */
  | { type: 'stream'; name: 'stdout' | 'stderr'; text: string; parent: Header | null }
  /** Send what is buffered, close the sockets, end the thread. */
  | { type: 'stop' };

/**
 * After an interrupt_request, how long the cell has to stop at a check of its own before the
 * process gets SIGINT (for synchronous code inside one library call, which has no check).
 */
const SIGNAL_AFTER_MS = 200;
/** How long the main thread has to stop after a shutdown request before this thread ends the process. */
const SHUTDOWN_GRACE_MS = 3000;
/** Stream text waits this long for more before it goes out (or until any other message). */
const STREAM_FLUSH_MS = 50;
/** ... or goes at once beyond this many characters. */
const STREAM_FLUSH_CHARS = 64 * 1024;

async function main(): Promise<void> {
  const data = workerData as IoThreadData;
  const post = (event: IoEvent) => parentPort!.postMessage(event);
  const flags = new Int32Array(data.flags);
  const session = new Session(data.connection.key, data.connection.signature_scheme, 'kernel', data.session);
  const heartbeat = new zmq.Reply();
  const control = new zmq.Router();
  const iopub = new zmq.Publisher({ sendHighWaterMark: 100_000 });
  await Promise.all([heartbeat.bind(channelAddress(data.connection, 'hb')), control.bind(channelAddress(data.connection, 'control')), iopub.bind(channelAddress(data.connection, 'iopub'))]);

  const failed = (what: string, e: Error) => post({ type: 'log', text: `sending ${what} failed: ${e.message}` });
  const outboxes = new Map<zmq.Publisher | zmq.Router, Outbox>([iopub, control].map((socket) => [socket, new Outbox(socket, failed)]));
  const send = (socket: zmq.Publisher | zmq.Router, msg: Message<unknown>) => outboxes.get(socket)!.send(session.encode(msg), msg.header.msg_type);
  const about = (parent: Header | null): Message<unknown> | null => (parent === null ? null : { identities: [], header: parent, parent_header: {}, metadata: {}, content: {}, buffers: [] });

  let stream: { name: 'stdout' | 'stderr'; text: string; parent: Header | null; timer: NodeJS.Timeout } | null = null;
  const flush = () => {
    if (stream === null) return;
    const s = stream;
    stream = null;
    clearTimeout(s.timer);
    send(iopub, session.make('stream', { name: s.name, text: s.text }, about(s.parent)));
  };

  let stopping = false;
  parentPort!.on('message', (command: IoCommand) => {
    if (command.type === 'stream') {
      if (stream !== null && (stream.name !== command.name || stream.parent?.msg_id !== command.parent?.msg_id)) flush();
      stream ??= { name: command.name, text: '', parent: command.parent, timer: setTimeout(flush, STREAM_FLUSH_MS) };
      stream.text += command.text;
      if (stream.text.length >= STREAM_FLUSH_CHARS) flush();
    } else if (command.type === 'publish') {
      flush();
      send(iopub, session.make(command.msgType, command.content, about(command.parent)));
    } else if (command.type === 'stop') {
      flush();
      stopping = true;
      // A moment for the last messages to leave before the sockets close.
      setTimeout(() => {
        for (const socket of [heartbeat, control, iopub]) socket.close();
        post({ type: 'stopped' });
        parentPort!.close();
      }, 50);
    }
  });
  post({ type: 'ready' });

  const echo = async () => {
    for await (const frames of heartbeat) await heartbeat.send(frames);
  };
  const serve = async () => {
    for await (const frames of control) {
      let request: Message;
      try {
        request = session.decode(frames);
      } catch (e) {
        post({ type: 'log', text: `control: dropped a message: ${(e as Error).message}` });
        continue;
      }
      const reply = (type: string, content: Record<string, unknown>) => send(control, session.make(type, content, request));
      switch (request.header.msg_type) {
        case 'kernel_info_request':
          reply('kernel_info_reply', data.kernelInfo);
          break;
        case 'interrupt_request': {
          // Between cells there is nothing to interrupt (the next cell must not be).
          const run = Atomics.load(flags, RUNNING);
          if (run !== 0) {
            Atomics.store(flags, INTERRUPTED, run);
            post({ type: 'interrupt', run });
            setTimeout(() => {
              if (Atomics.load(flags, RUNNING) !== run) return;
              Atomics.add(flags, OWN_SIGNALS, 1);
              process.kill(process.pid, 'SIGINT');
            }, SIGNAL_AFTER_MS);
          }
          reply('interrupt_reply', { status: 'ok' });
          break;
        }
        case 'shutdown_request': {
          const restart = request.content.restart === true;
          reply('shutdown_reply', { status: 'ok', restart });
          post({ type: 'shutdown', restart });
          // The main thread stops this thread and exits; if it is stuck in a cell, end the process.
          setTimeout(() => process.kill(process.pid, 'SIGTERM'), SHUTDOWN_GRACE_MS).unref();
          break;
        }
        default:
          post({ type: 'log', text: `control: ${request.header.msg_type} is not supported; ignored` });
      }
    }
  };
  // Both loops end when the sockets are closed (stop).
  await Promise.all([echo(), serve()]).catch((e) => {
    if (!stopping) post({ type: 'log', text: `io thread failed: ${(e as Error).stack ?? e}` });
  });
}

void main();
