// The kernel's second thread: the heartbeat and the control channel. It answers while the main
// thread runs a cell, even a cell stuck in a synchronous loop: an interrupt sets the shared flag
// the cell's compiled loops and awaits check (and sends the process SIGINT, which stops
// synchronous code vm runs with breakOnSigint); a shutdown asks the main thread to stop, and ends
// the process itself when the main thread cannot answer.
//
// Control requests are answered here without busy/idle on IOPub: the main thread owns IOPub, and
// a status for an interrupt or a kernel_info sent while a cell runs would tell the front end the
// kernel is idle when it is not.
import { parentPort, workerData } from 'node:worker_threads';
import * as zmq from 'zeromq';
import { channelAddress, ConnectionInfo, Message, Session } from './wire';

/** What the main thread gives this thread. */
export interface ControlThreadData {
  connection: ConnectionInfo;
  /** The kernel_info_reply content (it does not change while the kernel runs). */
  kernelInfo: Record<string, unknown>;
  /** Int32Array over a SharedArrayBuffer: [0] = interrupt requested for the running cell. */
  flags: SharedArrayBuffer;
}

/** Messages from this thread to the main thread. */
export type ControlEvent = { type: 'ready' } | { type: 'interrupt' } | { type: 'shutdown'; restart: boolean } | { type: 'log'; text: string };

/** Messages from the main thread to this one. */
export type ControlCommand = { type: 'stop' };

/** How long the main thread has to stop after a shutdown request before this thread ends the process. */
const SHUTDOWN_GRACE_MS = 3000;

async function main(): Promise<void> {
  const data = workerData as ControlThreadData;
  const post = (event: ControlEvent) => parentPort!.postMessage(event);
  const flags = new Int32Array(data.flags);
  const session = new Session(data.connection.key, data.connection.signature_scheme);
  const heartbeat = new zmq.Reply();
  const control = new zmq.Router();
  await heartbeat.bind(channelAddress(data.connection, 'hb'));
  await control.bind(channelAddress(data.connection, 'control'));

  let stopping = false;
  parentPort!.on('message', (command: ControlCommand) => {
    if (command.type === 'stop') {
      stopping = true;
      heartbeat.close();
      control.close();
      parentPort!.close();
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
      const reply = (type: string, content: Record<string, unknown>) => control.send(session.encode(session.make(type, content, request)));
      switch (request.header.msg_type) {
        case 'kernel_info_request':
          await reply('kernel_info_reply', data.kernelInfo);
          break;
        case 'interrupt_request':
          Atomics.store(flags, 0, 1);
          post({ type: 'interrupt' });
          // Stops synchronous code that vm runs with breakOnSigint (a cell before its first await);
          // elsewhere the main thread's SIGINT handler only repeats what the message says.
          process.kill(process.pid, 'SIGINT');
          await reply('interrupt_reply', { status: 'ok' });
          break;
        case 'shutdown_request': {
          const restart = request.content.restart === true;
          await reply('shutdown_reply', { status: 'ok', restart });
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
    if (!stopping) post({ type: 'log', text: `control thread failed: ${(e as Error).stack ?? e}` });
  });
}

void main();
