// The type-check server: typecheck_submission.ts in a process of its own, one JSON request per
// line on stdin ({id, projectRoot, files}), one answer per line on stdout ({id, ok, diagnostics |
// error}). typecheck_snapshot.ts writes it, compiled, into the grader's cache with the modules it
// loads, and runs it three ways:
//   node server.js supervise <blob> <root> <typescript.js>   builds the snapshot (below) and moves
//                                                            it to <blob> once it is complete
//   node --snapshot-blob <tmp> --build-snapshot server.js <root> <typescript.js>
//       serves the command that started it; when stdin ends it parses the rest of what an exercise
//       file can import and Node saves the heap (TypeScript loaded, every declaration file parsed
//       and bound) as a V8 startup snapshot
//   node --snapshot-blob <blob>   serves from that snapshot: ready in a fraction of the time
// A snapshot's entry script may require only Node's built-in modules, so this file loads
// TypeScript and the compiled modules beside it itself, and imports nothing else at the top.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';

/** What typecheck_submission.ts exports, as this server uses it. */
interface TypecheckModule {
  typecheckSubmission(projectRoot: string, files: Map<string, string>): Map<string, string[]>;
  dropLastProgram(): void;
}

type Exports = Record<string, unknown>;

/**
 * A CommonJS loader for the few files the server needs: `typescript`, and the compiled modules
 * beside this file (relative requires). Built-in modules come from Node's own require.
 */
function makeLoader(typescriptJs: string): (file: string) => Exports {
  const modules = new Map<string, { exports: Exports }>();
  const load = (file: string): Exports => {
    const hit = modules.get(file);
    if (hit) return hit.exports;
    const mod = { exports: {} as Exports };
    modules.set(file, mod);
    const dir = path.dirname(file);
    const requireHere = (spec: string): unknown => {
      if (spec === 'typescript') return load(typescriptJs);
      if (spec.startsWith('.')) return load(path.resolve(dir, spec.endsWith('.js') ? spec : `${spec}.js`));
      // TypeScript falls back to the global `performance` without it; Node has not verified the module in snapshots.
      if (spec === 'perf_hooks') return {};
      return require(spec);
    };
    // A snapshot's entry cannot require() a file: compile it in this context instead.
    const wrapped = (0, eval)(`(function (exports, require, module, __filename, __dirname) {${fs.readFileSync(file, 'utf8')}\n})`) as (...a: unknown[]) => void;
    wrapped(mod.exports, requireHere, mod, file, dir);
    return mod.exports;
  };
  return load;
}

/** Answers requests from stdin until it ends; then `onEnd`. */
function serve(typecheck: TypecheckModule, onEnd: () => void): void {
  let buffered = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const msg = JSON.parse(buffered.slice(0, nl)) as { id: number; projectRoot: string; files: Array<[string, string]> };
      buffered = buffered.slice(nl + 1);
      let answer;
      try {
        answer = { id: msg.id, ok: true, diagnostics: [...typecheck.typecheckSubmission(msg.projectRoot, new Map(msg.files))] };
      } catch (e) {
        answer = { id: msg.id, ok: false, error: (e as Error).message };
      }
      process.stdout.write(JSON.stringify(answer) + '\n');
    }
  });
  process.stdin.on('end', onEnd);
}

/** The exercise files of the project, so that the snapshot holds whatever they import. */
function exerciseFiles(projectRoot: string): Map<string, string> {
  const dir = path.join(projectRoot, 'exercises');
  const files = new Map<string, string>();
  try {
    for (const f of fs.readdirSync(dir)) if (/^ex\d\d-.*\.ts$/.test(f)) files.set(f, fs.readFileSync(path.join(dir, f), 'utf8'));
  } catch {
    /* no exercises folder: the snapshot holds what the requests needed */
  }
  files.set('__warm__.ts', "import * as tf from '@tensorflow/tfjs';\nexport const warm: tf.Tensor = tf.scalar(0);\n");
  return files;
}

function build(projectRoot: string, typescriptJs: string): void {
  const typecheck = makeLoader(typescriptJs)(path.join(__dirname, 'typecheck_submission.js')) as unknown as TypecheckModule;
  serve(typecheck, () => {
    typecheck.typecheckSubmission(projectRoot, exerciseFiles(projectRoot));
    typecheck.dropLastProgram(); // the snapshot keeps the parsed files, not a program and its checker
  });
  v8.startupSnapshot.setDeserializeMainFunction(() => serve(typecheck, () => process.exit(0)));
}

/** Builds the snapshot into a temp file beside `blob` and renames it into place, or records why not. */
function supervise(blob: string, projectRoot: string, typescriptJs: string): void {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  const tmp = `${blob}.${process.pid}.tmp`;
  const r = spawnSync(process.execPath, ['--snapshot-blob', tmp, '--build-snapshot', __filename, projectRoot, typescriptJs], { stdio: 'inherit' });
  if (r.status === 0 && fs.existsSync(tmp)) {
    fs.renameSync(tmp, blob);
  } else {
    fs.rmSync(tmp, { force: true });
    fs.writeFileSync(`${blob}.failed`, `node --build-snapshot ended with ${r.status ?? r.signal ?? r.error?.message}\n`);
  }
}

if (v8.startupSnapshot.isBuildingSnapshot()) {
  build(process.argv[2], process.argv[3]);
} else if (process.argv[2] === 'supervise') {
  supervise(process.argv[3], process.argv[4], process.argv[5]);
}
