import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { formatDiagnostic } from '../sandbox/transpile';
import { PROJECT_ROOT } from './project_root';
import { typecheckSubmission } from './typecheck_submission';
import { ensureTypecheckSnapshot, snapshotKey, SnapshotInputs, snapshotPlace, startTypecheckServer } from './typecheck_snapshot';

const FIXTURES = path.join(PROJECT_ROOT, 'grader', 'fixtures');

/**
 * Submissions to type-check (name -> file name -> source): the malformed fixtures, the guessers,
 * the attack with type errors, every tenth known mistake, and errors that need each kind of
 * declaration the snapshot holds (tfjs's, the library's, Node's, TypeScript's own lib) and JSDoc
 * around them.
 */
function submissions(): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const kind of ['mistakes', 'malformed', 'guessers', 'attacks']) {
    for (const [i, d] of fs.readdirSync(path.join(FIXTURES, kind)).entries()) {
      if ((kind === 'mistakes' && i % 10 !== 0) || (kind === 'attacks' && d !== 'patch-globals')) continue;
      const files = new Map<string, string>();
      for (const f of fs.readdirSync(path.join(FIXTURES, kind, d))) if (f.endsWith('.ts.txt')) files.set(f.replace(/\.txt$/, ''), fs.readFileSync(path.join(FIXTURES, kind, d, f), 'utf8'));
      if (files.size > 0) out.set(`${kind}/${d}`, files);
    }
  }
  const errors = [
    "import * as tf from '@tensorflow/tfjs';",
    "import { ntXent } from '../lib/losses';",
    '/**',
    ' * {@link tf.matMul} and @see tf.exp; a JSDoc type that contradicts the signature:',
    ' * @param {string} x',
    ' * @deprecated',
    ' * @returns {number}',
    ' */',
    'export function helper(x: number): string {',
    '  return x;',
    '}',
    '/** @type {number} */',
    "export const n: number = 'one';",
    'export const rank: tf.Tensor2D = tf.tensor1d([1, 2]);',
    "export const loss = ntXent(tf.zeros([2, 2]), 'z2');",
    "setTimeout('not a function', 10);",
    "export const big = [1, 2].flatMap((x) => x).toSorted();",
    '',
  ].join('\n');
  out.set('type errors in tfjs, lib, Node and ES declarations', new Map([['ex04-nt-xent.ts', errors]]));
  return out;
}

/** Sends the requests to a type-check server and collects its answers, in order. */
function askServer(child: ReturnType<typeof startTypecheckServer> & object, requests: Array<Map<string, string>>, root: string): Promise<Array<Map<string, string[]>>> {
  return new Promise((resolve, reject) => {
    const answers: Array<Map<string, string[]>> = [];
    let buffered = '';
    child.child.stdout!.setEncoding('utf8');
    child.child.stdout!.on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const m = JSON.parse(buffered.slice(0, nl)) as { ok: boolean; diagnostics: Array<[string, string[]]>; error?: string };
        buffered = buffered.slice(nl + 1);
        if (!m.ok) return reject(new Error(m.error));
        answers.push(new Map(m.diagnostics));
        if (answers.length === requests.length) {
          child.child.stdin!.end();
          resolve(answers);
        }
      }
    });
    child.child.on('error', reject);
    requests.forEach((files, id) => child.child.stdin!.write(JSON.stringify({ id, projectRoot: root, files: [...files] }) + '\n'));
  });
}

/** A project of its own: node_modules and tsconfig linked from this one, lib/ with one file of its own. */
function smallProject(dir: string): void {
  fs.mkdirSync(path.join(dir, 'lib'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'exercises'));
  fs.writeFileSync(path.join(dir, 'lib', 'v.ts'), 'export const v: number = 1;\n');
  fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  fs.copyFileSync(path.join(PROJECT_ROOT, 'package-lock.json'), path.join(dir, 'package-lock.json'));
  for (const rel of ['engine/typecheck_server.ts', 'engine/typecheck_submission.ts', 'sandbox/transpile.ts']) {
    fs.mkdirSync(path.join(dir, 'grader', path.dirname(rel)), { recursive: true });
    fs.copyFileSync(path.join(PROJECT_ROOT, 'grader', rel), path.join(dir, 'grader', rel));
  }
}

describe('the type-check snapshot (typecheck_snapshot.ts, typecheck_server.ts)', function () {
  this.timeout(600000);
  let tmp: string;
  let found: Map<string, Map<string, string[]>> | null = null;
  /** What a type-check on this thread finds in each of {@link submissions} (made once: two tests compare with it). */
  const onThisThread = (): Map<string, Map<string, string[]>> => (found ??= new Map([...submissions()].map(([name, files]) => [name, typecheckSubmission(PROJECT_ROOT, files)])));
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-tc-snapshot-'));
  });
  after(() => {
    const place = fs.existsSync(path.join(tmp, 'p', 'grader')) ? snapshotPlace(path.join(tmp, 'p')) : null;
    if (place) fs.rmSync(place.dir, { recursive: true, force: true }); // 50 MB: not left for a week
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('snapshotKey changes with Node, its binary, TypeScript, the project folder, package-lock.json (tfjs and Node typings), the server sources (its compiler options) and the library files', () => {
    const base: SnapshotInputs = { node: 'v20.20.2 x64', nodeBinary: '/usr/bin/node:1:2:3', typescript: '/p/typescript.js:4:5:6', projectRoot: '/p', lock: 'aa', sources: [['engine/typecheck_submission.ts', 'strict: true']], library: ['/p/lib/index.ts:1:2:3'] };
    const keys = new Set([
      snapshotKey(base),
      snapshotKey({ ...base, node: 'v22.0.0 x64' }),
      snapshotKey({ ...base, nodeBinary: '/usr/bin/node:1:2:4' }),
      snapshotKey({ ...base, typescript: '/p/typescript.js:4:5:7' }),
      snapshotKey({ ...base, projectRoot: '/q' }),
      snapshotKey({ ...base, lock: 'ab' }),
      snapshotKey({ ...base, sources: [['engine/typecheck_submission.ts', 'strict: false']] }),
      snapshotKey({ ...base, library: ['/p/lib/index.ts:1:2:4'] }),
    ]);
    assert.equal(keys.size, 8);
    assert.equal(snapshotKey({ ...base }), snapshotKey(base));
  });

  it('snapshotPlace reads them from the project: an edited package-lock.json, typescript.js written again or a library file added or edited is another snapshot', () => {
    const dir = path.join(tmp, 'keys');
    fs.mkdirSync(path.join(dir, 'node_modules', 'typescript', 'lib'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'node_modules', 'typescript', 'package.json'), JSON.stringify({ name: 'typescript', main: 'lib/typescript.js' }));
    fs.writeFileSync(path.join(dir, 'node_modules', 'typescript', 'lib', 'typescript.js'), '// 5.9.3\n');
    fs.writeFileSync(path.join(dir, 'package-lock.json'), '{"lockfileVersion": 3}\n');
    for (const rel of ['engine/typecheck_server.ts', 'engine/typecheck_submission.ts', 'sandbox/transpile.ts']) {
      fs.mkdirSync(path.join(dir, 'grader', path.dirname(rel)), { recursive: true });
      fs.copyFileSync(path.join(PROJECT_ROOT, 'grader', rel), path.join(dir, 'grader', rel));
    }
    const first = snapshotPlace(dir)!.dir;
    assert.equal(snapshotPlace(dir)!.dir, first);
    fs.writeFileSync(path.join(dir, 'package-lock.json'), '{"lockfileVersion": 3, "packages": {"node_modules/@tensorflow/tfjs": {"version": "4.23.0"}}}\n');
    const second = snapshotPlace(dir)!.dir;
    assert.notEqual(second, first);
    fs.writeFileSync(path.join(dir, 'node_modules', 'typescript', 'lib', 'typescript.js'), '// 5.9.3\n'); // reinstalled: same bytes, a new file
    const third = snapshotPlace(dir)!.dir;
    assert.notEqual(third, second);
    fs.appendFileSync(path.join(dir, 'grader', 'engine', 'typecheck_submission.ts'), '// changed\n');
    const fourth = snapshotPlace(dir)!.dir;
    assert.notEqual(fourth, third);
    fs.mkdirSync(path.join(dir, 'lib', 'mi'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'lib', 'mi', 'k.ts'), 'export const k = 1;\n');
    const fifth = snapshotPlace(dir)!.dir;
    assert.notEqual(fifth, fourth, 'a library file added');
    fs.writeFileSync(path.join(dir, 'lib', 'mi', 'k.ts'), 'export const k = 2;\n');
    assert.notEqual(snapshotPlace(dir)!.dir, fifth, 'a library file edited: parsed once into a new snapshot, not again on every check');
  });

  it('the server started from the snapshot finds exactly what a type-check on this thread finds (fixtures; errors in tfjs, lib, Node and ES types; JSDoc)', async () => {
    assert.ok(await ensureTypecheckSnapshot(PROJECT_ROOT), 'no snapshot could be built here');
    const server = startTypecheckServer(PROJECT_ROOT)!;
    assert.equal(server.kind, 'snapshot');
    const subs = submissions();
    const answers = await askServer(server, [...subs.values()], PROJECT_ROOT);
    let withErrors = 0;
    [...subs.keys()].forEach((name, i) => {
      const here = onThisThread().get(name)!;
      assert.deepEqual(answers[i], here, name);
      if (here.size > 0) withErrors++;
    });
    assert.ok(withErrors >= 4, `only ${withErrors} submissions have type errors: the comparison would prove little`);
    assert.deepEqual(answers[subs.size - 1].get('ex04-nt-xent.ts')!.map((d) => d.split(': ')[0].replace(/^ex04-nt-xent\.ts:\d+:\d+ /, '')), ['TS2322', 'TS2322', 'TS2322', 'TS2345', 'TS2769', 'TS2550']);
  });

  it('its findings are those of a plain program that parses all JSDoc (the grader parses only what can matter, as tsc does)', () => {
    const dir = path.join(tmp, 'plain');
    fs.mkdirSync(path.join(dir, 'exercises'), { recursive: true });
    for (const x of ['lib', 'node_modules']) fs.symlinkSync(path.join(PROJECT_ROOT, x), path.join(dir, x));
    const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, lib: ['lib.es2022.d.ts'], types: ['node'], typeRoots: [path.join(dir, 'node_modules', '@types')], strict: true, esModuleInterop: true, skipLibCheck: true, noEmit: true };
    const parsedAll = new Map<string, ts.SourceFile | undefined>(); // the declarations, parsed once (with all their JSDoc)
    for (const [name, files] of submissions()) {
      for (const [f, src] of files) fs.writeFileSync(path.join(dir, 'exercises', f), src);
      const roots = [...files.keys()].map((f) => path.join(dir, 'exercises', f));
      const host = ts.createCompilerHost(options, true); // ParseAll
      const getSourceFile = host.getSourceFile.bind(host);
      host.getSourceFile = (f, ...rest) => {
        if (f.includes(`${path.sep}exercises${path.sep}`)) return getSourceFile(f, ...rest);
        if (!parsedAll.has(f)) parsedAll.set(f, getSourceFile(f, ...rest));
        return parsedAll.get(f);
      };
      const program = ts.createProgram(roots, options, host);
      const plain = new Map<string, string[]>();
      for (const r of roots) {
        const sf = program.getSourceFile(r)!;
        const diags = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
        if (diags.length > 0) plain.set(path.basename(r), diags.slice(0, 20).map((d) => formatDiagnostic(d, path.basename(r))));
      }
      assert.deepEqual(onThisThread().get(name), plain, name);
      for (const f of files.keys()) fs.rmSync(path.join(dir, 'exercises', f));
    }
  });

  it('a library file edited after the snapshot was made is parsed again; the submission is never taken from it', async () => {
    const dir = path.join(tmp, 'p');
    smallProject(dir);
    assert.ok(await ensureTypecheckSnapshot(dir), 'no snapshot could be built here');
    const first = snapshotPlace(dir)!.dir;
    const uses = new Map([['ex01-triplet.ts', "import { v } from '../lib/v';\nexport const s: string = v;\n"]]);
    const fine = new Map([['ex01-triplet.ts', "import { v } from '../lib/v';\nexport const s: number = v;\n"]]);
    const [before, other] = await askServer(startTypecheckServer(dir)!, [uses, fine], dir);
    assert.deepEqual(before, new Map([['ex01-triplet.ts', ["ex01-triplet.ts:2:14 TS2322: Type 'number' is not assignable to type 'string'."]]]));
    assert.deepEqual(other, new Map());
    fs.writeFileSync(path.join(dir, 'lib', 'v.ts'), "export const v: string = 'one';\n");
    const [after] = await askServer(startTypecheckServer(dir)!, [uses], dir);
    assert.deepEqual(after, new Map());
    assert.notEqual(snapshotPlace(dir)!.dir, first, 'the edited library is another snapshot');
    fs.rmSync(first, { recursive: true, force: true }); // 50 MB: not left for a week
  });

  it('a snapshot that cannot start hands its requests to a worker thread (same findings) and is not tried again', async () => {
    const dir = path.join(tmp, 'p'); // the project of the test before (its library edited since: another snapshot)
    assert.ok(await ensureTypecheckSnapshot(dir), 'no snapshot could be built here');
    const place = snapshotPlace(dir)!;
    assert.ok(fs.existsSync(place.blob));
    fs.writeFileSync(place.blob, 'not a snapshot');
    const child = `
      const { typecheckAsync, stopTypecheckWorker, typecheckBackend } = require(${JSON.stringify(path.join(__dirname, 'typecheck_async.ts'))});
      (async () => {
        const r = await typecheckAsync(${JSON.stringify(dir)}, new Map([['ex01-triplet.ts', "export const s: string = 1;\\n"]]));
        process.stdout.write(JSON.stringify({ backend: typecheckBackend(), diagnostics: [...r] }));
        await stopTypecheckWorker();
      })();`;
    const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', child], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 300000 });
    const out = JSON.parse(r.stdout) as { backend: string; diagnostics: Array<[string, string[]]> };
    assert.equal(out.backend, 'worker', r.stderr);
    assert.deepEqual(out.diagnostics, [['ex01-triplet.ts', ["ex01-triplet.ts:1:14 TS2322: Type 'number' is not assignable to type 'string'."]]]);
    assert.ok(fs.existsSync(`${place.blob}.failed`), 'the environment is marked');
    assert.equal(startTypecheckServer(dir), null, 'and not tried again');
  });
});
