import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Outbox, readConnectionFile, Session } from './wire';

describe('kernel/wire: signed multipart messages', () => {
  it('encode then decode gives the message back; the signature is the HMAC-SHA256 of the four JSON parts', () => {
    const session = new Session('secret');
    const msg = session.make('execute_reply', { status: 'ok' }, null);
    msg.identities = [Buffer.from('client-1')];
    const frames = session.encode(msg);
    assert.equal(frames[0].toString(), 'client-1');
    assert.equal(frames[1].toString(), '<IDS|MSG>');
    const { createHmac } = require('node:crypto') as typeof import('node:crypto');
    const hmac = createHmac('sha256', 'secret');
    frames.slice(3, 7).forEach((f) => hmac.update(f));
    assert.equal(frames[2].toString(), hmac.digest('hex'));
    const back = session.decode(frames);
    assert.deepEqual(back.content, { status: 'ok' });
    assert.equal(back.header.msg_type, 'execute_reply');
    assert.equal(back.header.version, '5.3');
    assert.deepEqual(back.identities.map(String), ['client-1']);
  });

  it('decode rejects a message signed with another key, and a tampered one', () => {
    const frames = new Session('other key').encode(new Session('other key').make('kernel_info_request', {}, null));
    assert.throws(() => new Session('secret').decode(frames), /invalid signature/);
    const good = new Session('secret').encode(new Session('secret').make('execute_request', { code: '1' }, null));
    good[5] = Buffer.from(JSON.stringify({ code: 'process.exit()' }));
    assert.throws(() => new Session('secret').decode(good), /invalid signature/);
  });

  it('an empty key means unsigned messages (the signature frame is empty)', () => {
    const session = new Session('');
    const frames = session.encode(session.make('status', { execution_state: 'idle' }, null));
    assert.equal(frames[1].toString(), '');
    assert.deepEqual(session.decode(frames).content, { execution_state: 'idle' });
  });

  it('a reply carries the request header as parent_header and goes back to its identities', () => {
    const session = new Session('k');
    const request = session.decode(session.encode({ ...session.make('complete_request', { code: 'x' }, null), identities: [Buffer.from('id')] }));
    const reply = session.make('complete_reply', {}, request);
    assert.deepEqual(reply.parent_header, request.header);
    assert.deepEqual(reply.identities.map(String), ['id']);
    assert.notEqual(reply.header.msg_id, request.header.msg_id);
  });

  it('readConnectionFile names the file and the bad field', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-wire-'));
    try {
      const file = path.join(dir, 'c.json');
      const good = { transport: 'tcp', ip: '127.0.0.1', shell_port: 1, iopub_port: 2, stdin_port: 3, control_port: 4, hb_port: 5, key: 'k', signature_scheme: 'hmac-sha256' };
      fs.writeFileSync(file, JSON.stringify(good));
      assert.equal(readConnectionFile(file).hb_port, 5);
      fs.writeFileSync(file, JSON.stringify({ ...good, iopub_port: 'x' }));
      assert.throws(() => readConnectionFile(file), new RegExp(`connection file ${file}: iopub_port must be a port number, got "x"`));
      assert.throws(() => readConnectionFile(path.join(dir, 'missing.json')), /cannot read the connection file .*missing\.json/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Outbox sends in order and never starts a send while one is in progress (zeromq.js throws EBUSY then); a failed send is reported', async () => {
    const sent: string[] = [];
    let pending: (() => void) | null = null;
    const socket = {
      send(frames: Buffer[]): Promise<void> {
        if (pending !== null) throw new Error('Socket is busy writing');
        const text = frames[0].toString();
        if (text === 'bad') return Promise.reject(new Error('no route'));
        sent.push(text);
        // Every third send completes later, as zeromq.js defers one send in 512.
        if (sent.length % 3 !== 0) return Promise.resolve();
        return new Promise((resolve) => (pending = () => ((pending = null), resolve())));
      },
    };
    const failures: string[] = [];
    const outbox = new Outbox(socket, (what, e) => failures.push(`${what}: ${e.message}`));
    const names = ['a', 'b', 'c', 'd', 'bad', 'e', 'f', 'g'];
    for (const name of names) outbox.send([Buffer.from(name)], name);
    for (let i = 0; i < 10; i++) {
      await new Promise((r) => setImmediate(r));
      (pending as (() => void) | null)?.();
    }
    assert.deepEqual(sent, names.filter((n) => n !== 'bad'));
    assert.deepEqual(failures, ['bad: no route']);
  });
});
