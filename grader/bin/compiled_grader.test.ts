import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../engine/project_root';

interface CompiledGrader {
  STAMP: string;
  graderInputs(root: string): Record<string, string>;
  compiledGraderStaleness(root: string, inputs?: Record<string, string>): string | null;
  writeGraderStamp(root: string, inputs: Record<string, string>): void;
}
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { STAMP, graderInputs, compiledGraderStaleness, writeGraderStamp } = require('./compiled_grader.js') as CompiledGrader;

/** The one line each fake entry prints: which grader ran. */
const CLI_SOURCE = "export async function main(): Promise<number> { process.stdout.write(__filename.includes('dist') ? 'compiled\\n' : 'sources\\n'); return 0; }\n";

/**
 * A project with the real bin and a stand-in grader: grader/cli.ts and its compiled
 * dist/grader/cli.js say which of them ran. `packages`: the node_modules entries it links to
 * (tsx or not).
 */
function fakeProject(dir: string, packages: string[]): void {
  for (const [rel, text] of Object.entries({
    'grader/cli.ts': CLI_SOURCE,
    'grader/cli.test.ts': '// a test: not part of the compiled grader\n',
    'grader/fixtures/x.ts': '// a fixture: not part of the compiled grader\n',
    'lib/a.ts': 'export const a = 1;\n',
    'solutions/ex01.ts': 'export const s = 1;\n',
    'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', rootDir: '.', outDir: 'dist', types: [], skipLibCheck: true } }),
    'tsconfig.build.json': JSON.stringify({ extends: './tsconfig.json', include: ['grader', 'lib', 'solutions'], exclude: ['**/*.test.ts', 'grader/fixtures/**'] }),
    'dist/grader/cli.js': `"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\nexports.main = async () => { process.stdout.write(__filename.includes('dist') ? 'compiled\\n' : 'sources\\n'); return 0; };\n`,
  })) {
    fs.mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  fs.mkdirSync(path.join(dir, 'grader', 'bin'), { recursive: true });
  for (const f of ['clab-grade.js', 'compiled_grader.js']) fs.copyFileSync(path.join(__dirname, f), path.join(dir, 'grader', 'bin', f));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  for (const p of packages) fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules', p), path.join(dir, 'node_modules', p));
}

function bin(dir: string): { out: string; err: string; code: number | null } {
  const r = spawnSync(process.execPath, [path.join(dir, 'grader', 'bin', 'clab-grade.js')], { cwd: dir, encoding: 'utf8', timeout: 120000 });
  return { out: r.stdout, err: r.stderr, code: r.status };
}

describe('the compiled grader (grader/bin/compiled_grader.js, clab-grade.js)', function () {
  this.timeout(180000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-compiled-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('dist/ runs when its stamp matches every source; an edit to grader/, lib/ or solutions/ makes the bin run the sources, and the same bytes back make dist/ current again', () => {
    fakeProject(dir, ['tsx', 'typescript']);
    assert.match(compiledGraderStaleness(dir)!, /\.clab-grader-stamp\.json is missing \(dist\/ was not compiled by set-up\)/);
    assert.equal(bin(dir).out, 'sources\n');
    writeGraderStamp(dir, graderInputs(dir));
    assert.equal(compiledGraderStaleness(dir), null);
    assert.equal(bin(dir).out, 'compiled\n');
    for (const rel of ['grader/cli.ts', 'lib/a.ts', 'solutions/ex01.ts', 'tsconfig.json']) {
      const file = path.join(dir, rel);
      const was = fs.readFileSync(file);
      fs.appendFileSync(file, '// edited\n');
      assert.equal(compiledGraderStaleness(dir), `${rel} changed since dist/ was compiled`);
      assert.equal(bin(dir).out, 'sources\n', rel);
      fs.writeFileSync(file, was); // new mtime and ctime, same bytes: what dist/ was compiled from
      assert.equal(compiledGraderStaleness(dir), null, rel);
    }
    fs.writeFileSync(path.join(dir, 'lib', 'b.ts'), 'export const b = 2;\n');
    assert.equal(compiledGraderStaleness(dir), 'lib/b.ts changed since dist/ was compiled', 'a new source');
    fs.rmSync(path.join(dir, 'lib', 'b.ts'));
    fs.rmSync(path.join(dir, 'lib', 'a.ts'));
    assert.equal(compiledGraderStaleness(dir), 'lib/a.ts changed since dist/ was compiled', 'a source removed');
  });

  it('tests, fixtures, declaration files and the kernel are not part of the compiled grader: editing them keeps dist/ current', () => {
    fakeProject(dir, []);
    writeGraderStamp(dir, graderInputs(dir));
    fs.appendFileSync(path.join(dir, 'grader', 'cli.test.ts'), '// edited\n');
    fs.appendFileSync(path.join(dir, 'grader', 'fixtures', 'x.ts'), '// edited\n');
    fs.writeFileSync(path.join(dir, 'lib', 'types.d.ts'), 'declare const x: number;\n');
    // The kernel is compiled into dist/ too, but the grader imports nothing from it.
    fs.mkdirSync(path.join(dir, 'kernel'));
    fs.writeFileSync(path.join(dir, 'kernel', 'main.ts'), 'export const k = 1;\n');
    assert.equal(compiledGraderStaleness(dir), null);
    assert.deepEqual(Object.keys(graderInputs(dir)).filter((f) => !f.startsWith('node_modules')), ['grader/cli.ts', 'lib/a.ts', 'solutions/ex01.ts', 'tsconfig.build.json', 'tsconfig.json']);
  });

  it('without tsx (npm ci --omit=dev) a stale dist/ is compiled again first, with a note, and then runs', () => {
    fakeProject(dir, ['typescript']);
    fs.rmSync(path.join(dir, 'dist', 'grader', 'cli.js'));
    const r = bin(dir);
    assert.equal(r.out, 'compiled\n', r.err);
    assert.equal(r.err, "clab-grade: compiling the grader into dist/ first (dist/grader/cli.js does not exist; tsx, which runs the sources, is not installed)...\n");
    assert.equal(compiledGraderStaleness(dir), null);
  });

  it("the project's compiled grader is made of its sources, not of tests or fixtures", () => {
    const files = Object.keys(graderInputs(PROJECT_ROOT));
    for (const f of ['grader/cli.ts', 'grader/engine/typecheck_submission.ts', 'lib/index.ts', 'solutions/ex04-nt-xent.ts', 'tsconfig.build.json', 'node_modules/typescript/package.json']) assert.ok(files.includes(f), f);
    assert.deepEqual(files.filter((f) => f.endsWith('.test.ts') || f.startsWith('grader/fixtures/') || f.startsWith('exercises/')), []);
  });
});
