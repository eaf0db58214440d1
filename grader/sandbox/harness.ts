/**
 * The child side of the sandbox. The parent transpiles this file and `child_seal.ts` (they import
 * only node builtins and tfjs) into the sandbox folder and runs it with Node's permission model.
 * The submission runs only after the seal (child_seal.ts): from then on nothing compiles code.
 *
 * Protocol, newline-delimited JSON on fd 3 (never stdout, which belongs to the student):
 *   parent -> child  hello   {nonce, exercisesDir, modulePath, poison: [[libFile, exportName], ...], codeCache: dir | null}
 *   child  -> parent ready   {nonce, type: 'ready', exports: {name: arity}} | {type: 'loadError', message}
 *   parent -> child  load    {id, load: modulePath}   (another of the submission's files, later)
 *   child  -> parent ready   {nonce, type: 'ready', id, exports} | {type: 'loadError', id, message}
 *                            | {type: 'changed', id, what}: an earlier exercise changed a built-in,
 *                              tfjs or the library (nothing is loaded; the parent starts a fresh child)
 *   parent -> child  request {id, fn, calls: PlainValue[][]}   (to the module loaded last)
 *   child  -> parent result  {nonce, type: 'result', id, results: [{ok, value | error, notes}]}
 * Every ready, loadError and result also names the poisoned exports called since the answer
 * before (`blocked: [name, ...]`). The poison of the hello holds for the child's whole life: a
 * later message cannot relax it (the student's code may have patched the channel by then), so
 * a child that runs several exercises is started with every export any of them forbids.
 * Everything the student function returns is copied into plain numbers here; the parent still
 * validates it, because student code runs in this same process and may have patched anything.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import * as net from 'node:net';
import * as path from 'node:path';
import { prepareSubmission, sealProcess, type SubmissionLoader } from './child_seal';
import { useCodeCache } from './code_cache';

// Intrinsics captured before student code loads (it may patch globals afterwards).
const stringify = JSON.stringify;
const parse = JSON.parse;
const isArray = Array.isArray;
const getProto = Object.getPrototypeOf;
const objectProto = Object.prototype;
const keysOf = Object.keys;
const hasOwn = Object.prototype.hasOwnProperty;
const call = Function.prototype.call;
const applyFn = Reflect.apply;
const isFiniteNumber = Number.isFinite;
const ErrorCtor = Error;
const MAX_VALUES = 2_000_000;

const channel = new net.Socket({ fd: 3, readable: true, writable: true });
const send = channel.write.bind(channel);
let nonce = '';
let buffered = '';
let tf: any;
let student: Record<string, unknown> = {};
let submission: SubmissionLoader | null = null;
/** The poisoned exports called since the last answer: each answer names them (`blocked`). */
let fired: string[] = [];

/** The names in `fired`, emptied: the parent reruns a test elsewhere when one is not its own exercise's. */
function takeFired(): string[] {
  const f = fired;
  fired = [];
  return f;
}

const ownKeys = Reflect.ownKeys;
const ownDescriptor = Object.getOwnPropertyDescriptor;
const isExtensible = Object.isExtensible;
const protoOf = Object.getPrototypeOf;
const sameValue = Object.is;

/** One watched object's own properties as they were, and whether it could still grow. */
interface Watched {
  name: string;
  obj: object;
  keys: PropertyKey[];
  descriptors: Array<PropertyDescriptor | undefined>;
  extensible: boolean;
}
let watched: Watched[] = [];

/**
 * The objects one exercise could change for the next one in this process: JavaScript's
 * built-ins and their prototypes, the global object, tfjs's namespace, tensor, engine and
 * backend methods, Node's event, stream and socket prototypes, and the library's modules.
 */
function objectsToWatch(libDir: string): Array<[string, object]> {
  const out: Array<[string, object]> = [['globalThis', globalThis]];
  const add = (name: string, v: unknown): void => {
    if ((typeof v === 'object' || typeof v === 'function') && v !== null) out.push([name, v]);
  };
  for (const name of ownKeys(globalThis)) {
    if (typeof name !== 'string' || !/^[A-Z]/.test(name) && !['console', 'process', 'queueMicrotask', 'structuredClone'].includes(name)) continue;
    const v = ownDescriptor(globalThis, name)?.value; // never a getter: Node's lazy ones load code (fetch: undici, WebAssembly)
    add(name, v);
    if (typeof v === 'function') add(`${name}.prototype`, v.prototype);
  }
  const typedArray = protoOf(Float32Array);
  add('TypedArray', typedArray);
  add('TypedArray.prototype', typedArray.prototype);
  add('ArrayIterator', protoOf([][Symbol.iterator]()));
  add('Iterator', protoOf(protoOf([][Symbol.iterator]())));
  add('tf', tf);
  for (const k of ['Tensor', 'Variable', 'util', 'test_util', 'io', 'train', 'Optimizer']) {
    add(`tf.${k}`, tf[k]);
    if (typeof tf[k] === 'function') add(`tf.${k}.prototype`, tf[k].prototype);
  }
  add('tf engine', protoOf(tf.engine()));
  for (let b = protoOf(tf.backend()), i = 0; b !== null && b !== Object.prototype && i < 4; b = protoOf(b), i++) add(`tf backend ${i}`, b);
  for (const m of ['events', 'stream', 'net', 'fs', 'util', 'path', 'buffer', 'timers']) add(`node:${m}`, require(`node:${m}`));
  add('EventEmitter.prototype', require('node:events').prototype);
  for (const k of ['Readable', 'Writable', 'Duplex', 'Stream']) add(`stream.${k}.prototype`, require('node:stream')[k].prototype);
  add('net.Socket.prototype', require('node:net').Socket.prototype);
  const cache = require.cache;
  for (const file of Object.keys(cache)) if (file.startsWith(libDir + path.sep)) add(file, cache[file]!.exports);
  return out;
}

/** Takes the snapshot {@link changedSinceWatch} compares with. */
function watch(objects: Array<[string, object]>): void {
  watched = objects.map(([name, obj]) => {
    const keys = ownKeys(obj);
    return { name, obj, keys, descriptors: keys.map((k) => ownDescriptor(obj, k)), extensible: isExtensible(obj) };
  });
}

const sameDescriptor = (a: PropertyDescriptor | undefined, b: PropertyDescriptor | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && sameValue(a.value, b.value) && a.get === b.get && a.set === b.set && a.writable === b.writable && a.enumerable === b.enumerable && a.configurable === b.configurable);

/** The first watched property changed since {@link watch} (a name for the report), or null. */
function changedSinceWatch(): string | null {
  for (let j = 0; j < watched.length; j++) {
    const w = watched[j];
    if (isExtensible(w.obj) !== w.extensible) return `${w.name} (frozen or sealed)`;
    const keys = ownKeys(w.obj);
    if (keys.length !== w.keys.length) return `${w.name} (a property added or deleted)`;
    for (let i = 0; i < w.keys.length; i++) {
      if (!sameDescriptor(ownDescriptor(w.obj, w.keys[i]), w.descriptors[i])) return `${w.name}.${String(w.keys[i])}`;
    }
  }
  return null;
}

function post(msg: Record<string, unknown>): void {
  send(stringify({ ...msg, nonce }) + '\n');
}

function describeThrown(e: unknown): string {
  try {
    if (e instanceof ErrorCtor) return `${String(e.name)}: ${String(e.message)}`.slice(0, 600);
    if (e === null || e === undefined) return `threw ${String(e)} (not an Error)`;
    const t = typeof e;
    if (t === 'string' || t === 'number' || t === 'boolean') return `threw the ${t} ${String(e).slice(0, 200)} (not an Error)`;
    return `threw a ${t} that is not an Error`;
  } catch {
    return 'threw a value that could not even be described';
  }
}

function toWire(x: number): number | string {
  return isFiniteNumber(x) ? x : String(x);
}

/** Copies a student's return value into plain data; throws a message on anything else. */
function encode(v: unknown, depth: number, budget: { left: number }): unknown {
  if (depth > 8) throw new ErrorCtor('the returned value is nested too deeply');
  if (typeof v === 'number') return toWire(v);
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (v === null || v === undefined) return v === null ? null : { __undefined: true };
  if (tf && v instanceof tf.Tensor) {
    const t = v as any;
    const shape = Array.from(t.shape as number[]).map(Number);
    const raw = t.dataSync();
    const n = raw.length;
    if (n > budget.left) throw new ErrorCtor(`the returned tensor is too large (${n} values)`);
    budget.left -= n;
    const data: Array<number | string> = new Array(n);
    for (let i = 0; i < n; i++) {
      const x = raw[i];
      if (typeof x !== 'number') throw new ErrorCtor('the returned tensor holds non-numbers');
      data[i] = toWire(x);
    }
    return { __tensor: true, dtype: String(t.dtype), shape, data };
  }
  if (typeof v === 'function') throw new ErrorCtor('returned a function, not a value');
  if (typeof v === 'object') {
    if (typeof (v as any).then === 'function') throw new ErrorCtor('returned a Promise; the function must be synchronous');
    if (isArray(v)) {
      const arr = v as unknown[];
      const n = arr.length;
      if (n > budget.left) throw new ErrorCtor(`the returned array is too large (${n} items)`);
      budget.left -= n;
      const out: unknown[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = encode(arr[i], depth + 1, budget);
      return out;
    }
    const proto = getProto(v);
    if (proto !== objectProto && proto !== null) throw new ErrorCtor('returned an object that is neither a tf.Tensor, an array nor a plain object');
    const out: Record<string, unknown> = {};
    for (const k of keysOf(v as object)) {
      if (!call.call(hasOwn, v, k)) continue;
      out[k] = encode((v as any)[k], depth + 1, budget);
    }
    return out;
  }
  throw new ErrorCtor(`returned a ${typeof v}`);
}

/** Turns plain arguments into tensors; remembers each input tensor and its values. */
function decode(v: any, inputs: Array<{ t: any; data: number[] }>): unknown {
  if (v !== null && typeof v === 'object') {
    if (v.__tensor === true) {
      const data = (v.data as Array<number | string>).map(Number);
      const t = tf.tensor(data, v.shape, v.dtype);
      inputs.push({ t, data: Array.from(t.dataSync() as Float32Array) });
      return t;
    }
    if (isArray(v)) return v.map((x: unknown) => decode(x, inputs));
    const out: Record<string, unknown> = {};
    for (const k of keysOf(v)) out[k] = decode(v[k], inputs);
    return out;
  }
  return v;
}

function inputNotes(inputs: Array<{ t: any; data: number[] }>): string[] {
  const notes: string[] = [];
  inputs.forEach(({ t, data }, i) => {
    try {
      if (t.isDisposed) {
        notes.push(`input tensor #${i + 1} was disposed by your function (the caller owns it)`);
        return;
      }
      const now = t.dataSync();
      for (let j = 0; j < data.length; j++) {
        if (!(now[j] === data[j] || (now[j] !== now[j] && data[j] !== data[j]))) {
          notes.push(`MUTATED: input tensor #${i + 1} was changed in place by your function`);
          return;
        }
      }
    } catch {
      notes.push(`input tensor #${i + 1} could not be read back after your call`);
    }
  });
  return notes;
}

function runCall(fnName: string, args: unknown[]): Record<string, unknown> {
  const inputs: Array<{ t: any; data: number[] }> = [];
  const decoded = args.map((a) => decode(a, inputs));
  try {
    const fn = student[fnName];
    if (typeof fn !== 'function') return { ok: false, error: `${fnName} is not exported as a function` };
    const result = (fn as (...a: unknown[]) => unknown)(...decoded);
    const value = encode(result, 0, { left: MAX_VALUES });
    const notes = inputNotes(inputs);
    return { ok: true, value, notes };
  } catch (e) {
    return { ok: false, error: describeThrown(e), notes: [] };
  } finally {
    try {
      for (const { t } of inputs) if (!t.isDisposed) t.dispose();
    } catch {
      /* the student may have broken tfjs; the parent judges only the values */
    }
  }
}

async function onHello(hello: { nonce: string; exercisesDir: string; modulePath: string; poison: Array<[string, string]>; codeCache: string | null }): Promise<void> {
  nonce = hello.nonce;
  // tfjs compiled from the parent's code cache, when there is one (only before the seal). A
  // child started from the startup snapshot (child_snapshot.ts) finds it loaded already.
  const cached = typeof hello.codeCache === 'string' ? useCodeCache(hello.codeCache, 'use') : null;
  try {
    tf = require('@tensorflow/tfjs');
  } finally {
    cached?.restore();
  }
  tf.enableProdMode();
  await tf.setBackend('cpu');
  await tf.ready();
  const sandboxDir = __dirname; // the harness sits beside lib/: in the shared folder, or in a copy in the submission's
  for (const [file, name] of hello.poison) {
    try {
      const mod = require(path.join(sandboxDir, file));
      const blocked = () => {
        fired[fired.length] = name;
        throw new ErrorCtor(`${name} from the course library is not allowed in this exercise: write it yourself`);
      };
      Object.defineProperty(mod, name, { value: blocked, enumerable: true, configurable: false, writable: false });
    } catch {
      /* the library file may not export it in this version */
    }
  }
  // The library and tfjs are loaded; the submission's imports are preloaded and its file is
  // compiled; then nothing may load or compile code any more, and only then does it run.
  submission = prepareSubmission(hello.exercisesDir, path.join(sandboxDir, 'lib'), hello.modulePath);
  const watchList = objectsToWatch(path.join(sandboxDir, 'lib')); // before the seal: it may load Node's modules
  sealProcess();
  watch(watchList); // after it: the seal changes `process`
  runModule(hello.modulePath, undefined);
}

/** Runs `modulePath` as the module later requests call; posts ready (its exports) or loadError. */
function runModule(modulePath: string, id: number | undefined): void {
  student = {};
  let mod: Record<string, unknown>;
  try {
    mod = submission!.run(modulePath);
  } catch (e) {
    post({ type: 'loadError', id, message: describeThrown(e), blocked: takeFired() });
    return;
  }
  student = mod;
  const exports: Record<string, number | string> = {};
  for (const k of keysOf(mod)) {
    try {
      const v = (mod as any)[k];
      exports[k] = typeof v === 'function' ? Number(v.length) : typeof v;
    } catch {
      exports[k] = 'unreadable';
    }
  }
  post({ type: 'ready', id, exports, blocked: takeFired() });
}

function onRequest(req: { id: number; fn: string; calls: unknown[][]; load?: string }): void {
  if (applyFn(hasOwn, req, ['load'])) {
    // What an earlier exercise changed would change this one's results: a fresh child runs it.
    const changed = changedSinceWatch();
    if (changed !== null) post({ type: 'changed', id: req.id, what: changed });
    else runModule(req.load as string, req.id);
    return;
  }
  const results = req.calls.map((args) => runCall(req.fn, args));
  post({ type: 'result', id: req.id, results, blocked: takeFired() });
}

let helloSeen = false;
channel.on('data', (chunk: Buffer) => {
  buffered += chunk.toString('utf8');
  let nl: number;
  while ((nl = buffered.indexOf('\n')) >= 0) {
    const line = buffered.slice(0, nl);
    buffered = buffered.slice(nl + 1);
    const msg = parse(line);
    if (!helloSeen) {
      helloSeen = true;
      onHello(msg).catch((e) => post({ type: 'loadError', message: describeThrown(e) }));
    } else {
      onRequest(msg);
    }
  }
});
channel.on('error', () => process.exit(70));
// The parent went away (or closed the channel): do not linger as an orphan.
channel.on('end', () => process.exit(0));
