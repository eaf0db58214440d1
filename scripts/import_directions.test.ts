import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

// The allowed import directions of DEVELOPING.md's "Architecture" section, enforced. Every source
// file's imports (import / export ... from / require / import()) are resolved to a path in the
// repository; each rule names the edges it forbids. Packages (tfjs, typescript, ...) are not
// checked. A failure lists `file:line imports 'specifier' (-> target)` for every offending edge.

const ROOT = path.resolve(__dirname, '..');
const SOURCE_DIRS = ['lib', 'exercises', 'solutions', 'grader', 'kernel', 'scripts', 'bench'];
const SOURCE_EXT = /\.(ts|mts|cts|js|mjs|cjs)$/;
const RESOLVE_EXT = ['', '.ts', '.mts', '.js', '.mjs', '.cjs', '.json', '/index.ts', '/index.js'];
/** The grader's verbs: each a thin command; none imports another, and reports import none. */
const GRADER_VERBS = ['grader/grade', 'grader/check', 'grader/grade_all', 'grader/merge', 'grader/replay', 'grader/secret', 'grader/release', 'grader/verify', 'grader/cli.ts'];
/**
 * The grader's layers, top down (grader/DESIGN.md, "Layout"): a file imports only from its own
 * part or from a lower layer, so the walk from a verb to the sandbox and the reports only goes
 * down. The command line's flags sit low because the engine declares the flags of its options.
 */
const GRADER_LAYERS: string[][] = [
  ['grader/cli.ts'],
  GRADER_VERBS.filter((v) => v !== 'grader/cli.ts'),
  ['grader/grading_session.ts'],
  ['grader/canary', 'grader/report'],
  ['grader/engine'],
  ['grader/specs', 'grader/command_line'],
  ['grader/sandbox'],
  ['grader/plain_value.ts', 'grader/exit_codes.ts'],
];
/** The `--json` contract: types and format names that the grader writes and lib/notebook reads. */
const JSON_CONTRACT = 'lib/notebook/grader_result.ts';

interface Edge {
  /** Repository path of the importing file, e.g. lib/losses/nt_xent.ts. */
  from: string;
  line: number;
  specifier: string;
  /** Repository path the specifier resolves to (a file, or the folder for dist/). */
  to: string;
}

interface Rule {
  name: string;
  why: string;
  forbids: (e: Edge) => boolean;
}

const under = (p: string, dir: string) => p === dir || p.startsWith(`${dir}/`);
const anyUnder = (p: string, dirs: string[]) => dirs.some((d) => under(p, d));
const libFolder = (p: string) => (under(p, 'lib') ? p.split('/')[1] : null);
const isTest = (p: string) => /\.test\.ts$/.test(p);
/** [layer, part] of a grader file (layer 0 is the top), or null for a file on no layer (tests' fixtures, bin/). */
function graderLayer(p: string): [number, string] | null {
  for (const [i, parts] of GRADER_LAYERS.entries()) {
    const part = parts.find((d) => under(p, d));
    if (part !== undefined) return [i, part];
  }
  return null;
}

const RULES: Rule[] = [
  {
    name: 'lib -> grader',
    why: 'the library never depends on the grader; notebook helpers reach it only by running its CLI as a child process',
    forbids: (e) => under(e.from, 'lib') && under(e.to, 'grader'),
  },
  {
    name: 'lib -> exercises/solutions',
    why: 'lib holds the building blocks exercises and solutions are written with, not the other way round (loadExercise reads a file at run time, it does not import it)',
    forbids: (e) => under(e.from, 'lib') && anyUnder(e.to, ['exercises', 'solutions']),
  },
  {
    name: 'lib -> scripts/bench',
    why: 'the library ships to notebooks and the sandbox without the tooling',
    forbids: (e) => under(e.from, 'lib') && anyUnder(e.to, ['scripts', 'bench']),
  },
  {
    name: 'lib/tensor -> other lib folders',
    why: 'lib/tensor is the bottom layer (normalisation, seeded generators, checks) that every other lib folder uses; its tests may set up a backend',
    forbids: (e) => libFolder(e.from) === 'tensor' && !e.from.endsWith('.test.ts') && libFolder(e.to) !== null && libFolder(e.to) !== 'tensor',
  },
  {
    name: 'exercises/solutions -> grader/scripts/bench',
    why: 'exercise files run in the sandbox next to the compiled lib only',
    forbids: (e) => anyUnder(e.from, ['exercises', 'solutions']) && !/\.test\.ts$/.test(e.from) && anyUnder(e.to, ['grader', 'scripts', 'bench']),
  },
  {
    name: 'grader -> scripts',
    why: 'release ships the grader to students without scripts/; shared tooling the grader needs lives in the grader (or lib)',
    forbids: (e) => under(e.from, 'grader') && under(e.to, 'scripts'),
  },
  {
    name: 'grader report -> the grader beyond the result types',
    why: 'reports depend only on the result types, so any verb can write them',
    forbids: (e) => under(e.from, 'grader/report') && !isTest(e.from) && under(e.to, 'grader') && !under(e.to, 'grader/report') && e.to !== 'grader/engine/result_types.ts',
  },
  {
    name: 'grader layer -> a layer above it, or a neighbour on its own layer',
    why: 'the walk from a verb through its session, the engine and the sandbox only goes down (GRADER_LAYERS); tests may reach anything',
    forbids: (e) => {
      const from = graderLayer(e.from);
      const to = graderLayer(e.to);
      if (isTest(e.from) || from === null || to === null) return false;
      return to[0] < from[0] || (to[0] === from[0] && to[1] !== from[1]);
    },
  },
  {
    name: 'grader -> lib/notebook beyond the --json contract',
    why: 'the notebook helpers run the grader as a child process; the two share only the --json documents\' types and format names',
    forbids: (e) => under(e.from, 'grader') && under(e.to, 'lib/notebook') && e.to !== JSON_CONTRACT,
  },
  {
    name: 'the --json contract -> anything',
    why: 'lib/notebook/grader_result.ts is types and names only, so importing it takes no notebook code into the grader',
    forbids: (e) => e.from === JSON_CONTRACT,
  },
  {
    name: 'grader verb -> another grader verb',
    why: 'verbs are thin commands over the engine; what two verbs share belongs in the engine (a verb\'s test may run another verb to compare outputs, e.g. merge against grade-all)',
    forbids: (e) => {
      if (/\.test\.ts$/.test(e.from)) return false;
      const own = GRADER_VERBS.find((v) => under(e.from, v));
      return own !== undefined && own !== 'grader/cli.ts' && GRADER_VERBS.some((v) => v !== own && v !== 'grader/cli.ts' && under(e.to, v));
    },
  },
  {
    name: 'lib -> kernel',
    why: 'the library reaches the notebook kernel only through its API under globalThis[Symbol.for(\'Jupyter.kernel\')] (lib/display/display_bundle.ts)',
    forbids: (e) => under(e.from, 'lib') && under(e.to, 'kernel'),
  },
  {
    name: 'kernel -> the rest of the project',
    why: 'the kernel runs any notebook: it knows the library only through the display protocol, and set-up only through the kernelspec',
    forbids: (e) => under(e.from, 'kernel') && !under(e.to, 'kernel'),
  },
  {
    name: 'anything -> notebooks',
    why: 'notebooks are lessons, the end of every dependency chain; code they need lives in lib',
    forbids: (e) => under(e.to, 'notebooks'),
  },
  {
    name: 'notebooks -> anything but dist/lib',
    why: 'tslab cannot import .ts from outside the notebook folder; notebooks use the compiled library only',
    forbids: (e) => under(e.from, 'notebooks') && !under(e.to, 'dist/lib'),
  },
];

function walk(dir: string, out: string[] = []): string[] {
  for (const d of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${d.name}`;
    if (d.isDirectory()) {
      if (d.name !== 'node_modules' && d.name !== 'fixtures') walk(rel, out);
    } else if (SOURCE_EXT.test(d.name) && !d.name.endsWith('.d.ts')) {
      out.push(rel);
    }
  }
  return out;
}

/** The repository path a relative specifier points at, or null for a package. */
function resolve(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  for (const ext of RESOLVE_EXT) {
    const p = base + ext;
    if (fs.existsSync(path.join(ROOT, p)) && fs.statSync(path.join(ROOT, p)).isFile()) return p;
  }
  // dist/ may not be built, and a .js specifier may name a .ts source: the path itself still says where it points
  return base.replace(/\.js$/, '.ts');
}

function edgesOf(file: string, source: string, lineOffset = 0): Edge[] {
  const info = ts.preProcessFile(source, true, true);
  const lineAt = (pos: number) => source.slice(0, pos).split('\n').length + lineOffset;
  return info.importedFiles.flatMap((f) => {
    const to = resolve(file, f.fileName);
    return to === null ? [] : [{ from: file, line: lineAt(f.pos), specifier: f.fileName, to }];
  });
}

function notebookEdges(): Edge[] {
  const dir = path.join(ROOT, 'notebooks');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb')).flatMap((name) => {
    const file = `notebooks/${name}`;
    const nb = JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as { cells: { cell_type: string; source: string[] | string }[] };
    return nb.cells.flatMap((c, i) => {
      if (c.cell_type !== 'code') return [];
      const src = Array.isArray(c.source) ? c.source.join('') : c.source;
      return edgesOf(file, src).map((e) => ({ ...e, from: `${file} (cell ${i})` }));
    });
  });
}

const EDGES: Edge[] = [
  ...SOURCE_DIRS.filter((d) => fs.existsSync(path.join(ROOT, d))).flatMap((d) => walk(d)).flatMap((f) => edgesOf(f, fs.readFileSync(path.join(ROOT, f), 'utf8'))),
  ...notebookEdges(),
];

describe('import directions (DEVELOPING.md, Architecture)', () => {
  it('the import graph covers the tree: lib, grader, kernel, scripts and the notebooks all have edges', () => {
    for (const dir of ['lib', 'grader', 'kernel', 'scripts', 'notebooks']) {
      assert.ok(EDGES.some((e) => e.from.startsWith(`${dir}/`)), `no import found under ${dir}/: the scan is broken`);
    }
  });

  for (const rule of RULES) {
    it(`no import crosses "${rule.name}"`, () => {
      const bad = EDGES.filter((e) => rule.forbids(e)).map((e) => `${e.from}:${e.line} imports '${e.specifier}' (-> ${e.to})`);
      if (bad.length > 0) assert.fail(`${bad.length} import(s) forbidden by rule "${rule.name}" (${rule.why}):\n  ${bad.join('\n  ')}`);
    });
  }

  it('each rule catches the edge it is written for (a synthetic edge per rule)', () => {
    const probes: Record<string, Edge> = {
      'lib -> grader': { from: 'lib/losses/x.ts', line: 1, specifier: '../../grader/specs', to: 'grader/specs/index.ts' },
      'lib -> exercises/solutions': { from: 'lib/mi/x.ts', line: 1, specifier: '../../solutions/ex03', to: 'solutions/ex03.ts' },
      'lib -> scripts/bench': { from: 'lib/data/x.ts', line: 1, specifier: '../../scripts/setup', to: 'scripts/setup.mjs' },
      'lib/tensor -> other lib folders': { from: 'lib/tensor/x.ts', line: 1, specifier: '../data', to: 'lib/data/index.ts' },
      'exercises/solutions -> grader/scripts/bench': { from: 'solutions/ex01.ts', line: 1, specifier: '../grader/specs', to: 'grader/specs/index.ts' },
      'grader -> scripts': { from: 'grader/release/x.ts', line: 1, specifier: '../../scripts/strip_solutions', to: 'scripts/strip_solutions.ts' },
      'grader report -> the grader beyond the result types': { from: 'grader/report/x.ts', line: 1, specifier: '../engine/freeze_exercise', to: 'grader/engine/freeze_exercise.ts' },
      'grader layer -> a layer above it, or a neighbour on its own layer': { from: 'grader/engine/score_test.ts', line: 1, specifier: '../canary/prove_sandbox', to: 'grader/canary/prove_sandbox.ts' },
      'grader -> lib/notebook beyond the --json contract': { from: 'grader/report/x.ts', line: 1, specifier: '../../lib/notebook/parse_grader_result', to: 'lib/notebook/parse_grader_result.ts' },
      'the --json contract -> anything': { from: 'lib/notebook/grader_result.ts', line: 1, specifier: '../display/table', to: 'lib/display/table.ts' },
      'grader verb -> another grader verb': { from: 'grader/grade_all/x.ts', line: 1, specifier: '../grade/grade', to: 'grader/grade/grade.ts' },
      'lib -> kernel': { from: 'lib/display/x.ts', line: 1, specifier: '../../kernel/kernel_api', to: 'kernel/kernel_api.ts' },
      'kernel -> the rest of the project': { from: 'kernel/x.ts', line: 1, specifier: '../lib/display', to: 'lib/display/index.ts' },
      'anything -> notebooks': { from: 'scripts/x.ts', line: 1, specifier: '../notebooks/helper', to: 'notebooks/helper.ts' },
      'notebooks -> anything but dist/lib': { from: 'notebooks/01.ipynb (cell 1)', line: 1, specifier: '../lib', to: 'lib/index.ts' },
    };
    assert.deepEqual(Object.keys(probes).sort(), RULES.map((r) => r.name).sort());
    for (const rule of RULES) assert.ok(rule.forbids(probes[rule.name]), `rule "${rule.name}" lets its probe through`);
    // and the allowed directions pass every rule
    const allowed: Edge[] = [
      { from: 'notebooks/01.ipynb (cell 1)', line: 1, specifier: '../dist/lib', to: 'dist/lib' },
      { from: 'solutions/ex04.ts', line: 1, specifier: '../lib/tensor', to: 'lib/tensor/index.ts' },
      { from: 'grader/specs/ex04.ts', line: 1, specifier: '../../solutions/ex04', to: 'solutions/ex04.ts' },
      { from: 'lib/losses/nt_xent.ts', line: 1, specifier: '../tensor', to: 'lib/tensor/index.ts' },
      { from: 'bench/accuracy.ts', line: 1, specifier: '../lib/evaluation', to: 'lib/evaluation/index.ts' },
      { from: 'grader/grade/x.ts', line: 1, specifier: './y', to: 'grader/grade/y.ts' },
      { from: 'grader/grade/grade.ts', line: 1, specifier: '../grading_session', to: 'grader/grading_session.ts' },
      { from: 'grader/canary/prove_sandbox.ts', line: 1, specifier: '../engine/run_exercise', to: 'grader/engine/run_exercise.ts' },
      { from: 'grader/engine/score_test.ts', line: 1, specifier: '../plain_value', to: 'grader/plain_value.ts' },
      { from: 'grader/report/result_json.ts', line: 1, specifier: '../../lib/notebook/grader_result', to: JSON_CONTRACT },
      { from: 'lib/notebook/parse_grader_result.ts', line: 1, specifier: './grader_result', to: JSON_CONTRACT },
      { from: 'kernel/kernel.ts', line: 1, specifier: './wire', to: 'kernel/wire.ts' },
    ];
    for (const e of allowed) for (const rule of RULES) assert.ok(!rule.forbids(e), `rule "${rule.name}" forbids the allowed ${e.from} -> ${e.to}`);
  });
});
