// Compiles and runs cells. tslab's converter type-checks each cell against the declarations of
// the cells before it and emits JavaScript; this file runs that JavaScript (cell_code.ts adds
// the interrupt checks), keeps every cell's top-level variables in one `exports` object, hands
// back the last expression's value, and turns compiler diagnostics and thrown values into
// Jupyter error content (traceback.ts).
import { AsyncLocalStorage } from 'node:async_hooks';
import Module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { CompletionInfo, ConvertResult, Converter, createConverter, SideOutput } from 'tslab/dist/converter';
import * as ts from '@tslab/typescript-for-tslab';
import { CELL_ARGS, instrument, wrapCell } from './cell_code';
import { INTERRUPTED, OWN_SIGNALS, RUNNING } from './interrupt_flags';
import { Interrupted } from './kernel_api';
import { ErrorContent, Tracebacks } from './traceback';

/** How a cell ended. */
export type RunResult = { status: 'ok'; value: unknown } | { status: 'error'; error: ErrorContent; interrupted: boolean };

/** After an interrupt, how long a cell gets to stop at its next check (and run its `finally` blocks). */
export const INTERRUPT_GRACE_MS = 1000;

/**
 * The converter's own failures when a file event reached its TypeScript watcher between two
 * compilations: its fake timer refuses a second pending rebuild, in the watcher's callback (an
 * uncaught exception: kernel.ts hands it to {@link Executor.converterFailed}) or in the next
 * compilation.
 */
export const WATCHER_FAILURE = /rebuildTimer|unexpected tiemr|builder is not created/;

export interface ExecutorOptions {
  /** The notebook's folder: imports resolve from it. */
  cwd: string;
  /** Shared with the IO thread, which marks the running cell interrupted (interrupt_flags.ts). */
  flags: Int32Array;
  tracebacks: Tracebacks;
  /** Kernel diagnostics (to the kernel's log, not to a cell). */
  log: (text: string) => void;
}

/** Runs cells in this process's global context, one at a time. */
export class Executor {
  private converter: Converter | null = null;
  /** Declarations of every cell that ran: the next cell is type-checked against them. */
  private declarations = '';
  /** Every cell's top-level variables, by name. */
  private readonly locals: Record<string, unknown> = {};
  /** `exports` as cells see it: definitions (CommonJS re-exports use getters) store values. */
  private readonly exports: Record<string, unknown>;
  private readonly sideOutputs = new Map<string, string>();
  private readonly sideModules = new Map<string, { exports: unknown }>();
  private readonly require: NodeJS.Require;
  private interruptRunning: (() => void) | null = null;
  private converterBroken = false;
  /** The number of the last cell run (cells are numbered 1, 2, ... by the executor, not by Jupyter). */
  private runs = 0;
  /** Cells the user interrupted: one that still runs on (given up on) stops at its next check. */
  private readonly interrupted = new Set<number>();
  /** Which cell the code running now belongs to, across awaits (for the library's checks). */
  private readonly cell = new AsyncLocalStorage<number>();

  constructor(private readonly options: ExecutorOptions) {
    const locals = this.locals;
    this.exports = new Proxy(locals, {
      defineProperty(target, key, attributes) {
        if (key === '__esModule') return true;
        target[key as string] = attributes.get !== undefined ? attributes.get() : attributes.value;
        return true;
      },
    });
    this.require = this.makeRequire(Module.createRequire(path.join(options.cwd, '[cell]')), options.cwd);
  }

  /** Creates the converter (about a second: it loads TypeScript's libraries and @types). */
  start(): void {
    this.converter ??= createConverter();
  }

  /** The converter's watcher failed (a file changed under it): the next compilation starts a new one. */
  converterFailed(): void {
    this.converterBroken = true;
  }

  /** Replaces the converter: its state is only the files it watches (the cells' declarations are ours). */
  private restartConverter(why: string): void {
    this.options.log(`converter: ${why}; starting a new one`);
    try {
      this.converter?.close();
    } catch {
      /* it is being replaced */
    }
    this.converter = createConverter();
    this.converterBroken = false;
  }

  private withConverter<T>(use: (c: Converter) => T): T {
    this.start();
    if (this.converterBroken) this.restartConverter('its file watcher failed');
    try {
      return use(this.converter!);
    } catch (e) {
      if (!WATCHER_FAILURE.test(String((e as Error)?.message))) throw e;
      this.restartConverter((e as Error).message);
      return use(this.converter!);
    }
  }

  /**
   * Stops cell `run` (default: the running one): it throws {@link Interrupted} at its next check.
   * A cell that already ended is left alone, and so is the one after it.
   */
  interrupt(run = Atomics.load(this.options.flags, RUNNING)): void {
    if (run === 0) return;
    this.interrupted.add(run);
    if (run === Atomics.load(this.options.flags, RUNNING)) {
      Atomics.store(this.options.flags, INTERRUPTED, run);
      this.interruptRunning?.();
    }
  }

  /**
   * SIGINT reached the main thread: one the IO thread sent repeats an interrupt_request it has
   * passed on already; any other (kill -INT, a front end that sends signals) interrupts the cell.
   */
  signal(): void {
    if (Atomics.load(this.options.flags, OWN_SIGNALS) > 0) Atomics.sub(this.options.flags, OWN_SIGNALS, 1);
    else this.interrupt();
  }

  private isInterrupted(run: number): boolean {
    return run !== 0 && (Atomics.load(this.options.flags, INTERRUPTED) === run || this.interrupted.has(run));
  }

  /** Throws {@link Interrupted} when the cell the calling code belongs to was interrupted. */
  checkInterrupt(): void {
    if (this.isInterrupted(this.cell.getStore() ?? Atomics.load(this.options.flags, RUNNING))) throw new Interrupted();
  }

  /**
   * Compiles and runs one cell.
   * @param name the cell's name in tracebacks, e.g. In[3]
   */
  async run(code: string, name: string): Promise<RunResult> {
    const run = ++this.runs;
    Atomics.store(this.options.flags, RUNNING, run);
    try {
      return await this.compileAndRun(code, name, run);
    } finally {
      Atomics.store(this.options.flags, RUNNING, 0);
    }
  }

  private async compileAndRun(code: string, name: string, run: number): Promise<RunResult> {
    let converted: ConvertResult;
    try {
      converted = this.withConverter((c) => c.convert(this.declarations, code));
    } catch (e) {
      return { status: 'error', error: this.options.tracebacks.fromThrown(e), interrupted: false };
    }
    for (const side of converted.sideOutputs ?? []) this.addSideOutput(side);
    if (converted.diagnostics.length > 0) {
      return { status: 'error', error: this.options.tracebacks.fromDiagnostics(name, code, converted.diagnostics), interrupted: false };
    }
    if (converted.output === undefined) {
      // Only declarations (types, interfaces): nothing to run.
      this.declarations = converted.declOutput ?? '';
      return { status: 'ok', value: undefined };
    }
    const js = instrument(converted.output, new Set(Object.keys(this.locals)));
    this.options.tracebacks.addCell(name, code, js);
    if (this.isInterrupted(run)) return { status: 'error', error: this.options.tracebacks.fromThrown(new Interrupted()), interrupted: true };
    let interrupted = false;
    const interruption = new Promise<void>((resolve) => {
      this.interruptRunning = () => {
        interrupted = true;
        resolve();
      };
    });
    // Called bare at the top of loop bodies, and around every await's result, which it passes on.
    const check = (value?: unknown) => {
      if (this.isInterrupted(run)) throw new Interrupted();
      return value;
    };
    try {
      (globalThis as Record<symbol, unknown>)[CELL_ARGS] = [this.exports, this.require, check];
      let result: unknown;
      try {
        result = this.cell.run(run, () => vm.runInThisContext(wrapCell(js, converted.hasToplevelAwait === true), { filename: name, breakOnSigint: true }));
      } finally {
        delete (globalThis as Record<symbol, unknown>)[CELL_ARGS];
      }
      if (converted.hasToplevelAwait === true) await settleOrStop(result as Promise<unknown>, interruption);
    } catch (e) {
      // breakOnSigint's own error says only "Script execution interrupted." (and it took the signal
      // the IO thread counted, if it was that one)
      const sigint = (e as { code?: string })?.code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED';
      if (sigint && Atomics.load(this.options.flags, OWN_SIGNALS) > 0) Atomics.sub(this.options.flags, OWN_SIGNALS, 1);
      const thrown = sigint ? withStack(new Interrupted(), e) : e;
      return { status: 'error', error: this.options.tracebacks.fromThrown(thrown), interrupted: interrupted || sigint || e instanceof Interrupted };
    } finally {
      this.interruptRunning = null;
    }
    this.declarations = converted.declOutput ?? '';
    let value: unknown;
    const last = converted.lastExpressionVar;
    if (last !== undefined && last in this.locals) {
      value = this.locals[last];
      delete this.locals[last];
    }
    return { status: 'ok', value };
  }

  /** Completions at `position` (UTF-16 offset) in `code`, type-aware as in an editor. */
  complete(code: string, position: number): CompletionInfo {
    return this.withConverter((c) => c.complete(this.declarations, code, position));
  }

  /** What the compiler knows about the name at `position`: its type and documentation, or null. */
  inspect(code: string, position: number): string | null {
    const info = this.withConverter((c) => c.inspect(this.declarations, code, position));
    if (info === undefined || info === null) return null;
    const signature = ts.displayPartsToString(info.displayParts);
    const docs = ts.displayPartsToString(info.documentation);
    const tags = (info.tags ?? []).map((t) => `@${t.name}${t.text ? ` ${ts.displayPartsToString(t.text)}` : ''}`);
    return [signature, docs, tags.join('\n')].filter((s) => s !== '').join('\n\n') || null;
  }

  close(): void {
    this.converter?.close();
    this.converter = null;
  }

  /** A .ts file beside the notebook that a cell imports: the converter emitted its JavaScript. */
  private addSideOutput(side: SideOutput): void {
    this.sideOutputs.set(side.path, side.data);
    this.sideModules.delete(side.path);
  }

  /** `require` that also finds the notebook folder's .ts files through the converter's output. */
  private makeRequire(base: NodeJS.Require, dir: string): NodeJS.Require {
    const fromMemory = (id: string): unknown => {
      if (!id.startsWith('.')) return undefined;
      let file = path.resolve(dir, id);
      if (path.extname(file) === '') file += '.js';
      const loaded = this.sideModules.get(file);
      if (loaded !== undefined) return loaded.exports;
      const code = this.sideOutputs.get(file);
      if (code === undefined) return undefined;
      const mod = { exports: {} as unknown };
      this.sideModules.set(file, mod);
      const run = vm.compileFunction(code, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: file });
      run(mod.exports, this.makeRequire(Module.createRequire(file), path.dirname(file)), mod, file, path.dirname(file));
      return mod.exports;
    };
    const wrapped = ((id: string) => fromMemory(id) ?? base(id)) as NodeJS.Require;
    return Object.assign(wrapped, { resolve: base.resolve, cache: base.cache, main: base.main, extensions: base.extensions });
  }
}

/**
 * Waits for the cell; after an interrupt, waits at most INTERRUPT_GRACE_MS more for it to stop
 * (its next await or loop check throws), then gives up on it.
 */
async function settleOrStop(cell: Promise<unknown>, interruption: Promise<void>): Promise<void> {
  cell.catch(() => undefined); // once given up on, its rejection must not count as unhandled
  const stopped = Symbol('stopped');
  const first = await Promise.race([cell, interruption.then(() => stopped)]);
  if (first !== stopped) return;
  const late = Symbol('late');
  const after = await Promise.race([cell, new Promise((r) => setTimeout(() => r(late), INTERRUPT_GRACE_MS))]);
  if (after === late) throw new Interrupted();
}

/** `error` with the stack of `from` (where the interrupted code stood). */
function withStack(error: Interrupted, from: unknown): Interrupted {
  const stack = (from as Error)?.stack;
  if (typeof stack === 'string') error.stack = `${error.name}: ${error.message}\n${stack.split('\n').filter((l) => /^\s+at /.test(l)).join('\n')}`;
  return error;
}

