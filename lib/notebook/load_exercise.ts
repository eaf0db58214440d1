import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';

/** Options for {@link loadExercise}. */
export interface LoadExerciseOptions {
  /** The project folder holding exercises/ (and dist/). Default: found from this file's location. */
  root?: string;
}

type TypeScriptApi = typeof import('typescript');

/**
 * Loads the student's CURRENT `exercises/<name>.ts` into a notebook: reads the file now,
 * transpiles it (TypeScript's transpileModule; no type check, syntax errors are reported) and
 * evaluates it as a fresh module, so an edit shows up on the next call without a rebuild or a
 * kernel restart. Its `../lib/...` imports resolve to the compiled library in `dist/lib` (the
 * same modules, and the same tfjs, as `import * as clab from '../dist/lib'`).
 * @param name the exercise file, e.g. `'ex03-infonce-bound'` (with or without `.ts`)
 * @returns the module's exports, e.g. `{infoNCELoss, gaussianCritic, ...}`
 * @example const ex = clab.notebook.loadExercise('ex03-infonce-bound'); ex.verifyInfoNCEBound({...})
 * WARNING: run `npm run build` once first (dist/lib must exist); the student's file is not type
 * checked here - `npm run typecheck` or the grader does that.
 */
export function loadExercise(name: string, options: LoadExerciseOptions = {}): Record<string, unknown> {
  const fn = 'loadExercise';
  if (typeof name !== 'string' || !/^ex\d{2}-[A-Za-z0-9_-]+(\.ts)?$/.test(name)) {
    throw new Error(`${fn}: name must be an exercise file like 'ex03-infonce-bound', got ${JSON.stringify(name)}`);
  }
  const base = name.replace(/\.ts$/, '');
  const { root, compiled } = locate(options.root);
  const source = path.join(root, 'exercises', `${base}.ts`);
  if (!fs.existsSync(source)) {
    const have = fs.existsSync(path.join(root, 'exercises')) ? fs.readdirSync(path.join(root, 'exercises')).filter((f) => f.endsWith('.ts')) : [];
    throw new Error(`${fn}: no file ${source}; exercises here: ${have.join(', ') || 'none'}`);
  }
  const ts = typescript();
  const out = ts.transpileModule(fs.readFileSync(source, 'utf8'), {
    fileName: `${base}.ts`,
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, esModuleInterop: true },
  });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    const lines = errors.map((d) => {
      const msg = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      if (d.file && d.start !== undefined) {
        const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
        return `exercises/${base}.ts:${line + 1}:${character + 1} ${msg}`;
      }
      return `exercises/${base}.ts ${msg}`;
    });
    throw new Error(`${fn}: exercises/${base}.ts does not compile:\n${lines.join('\n')}`);
  }
  // Evaluate as if it sat in dist/exercises/ (or exercises/ when running from source), so
  // `../lib/...` finds the library already loaded in this process.
  const filename = compiled ? path.join(root, 'dist', 'exercises', `${base}.js`) : source;
  const m = new Module(filename, module);
  m.filename = filename;
  m.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(filename));
  (m as unknown as { _compile(code: string, file: string): void })._compile(out.outputText, filename);
  return m.exports as Record<string, unknown>;
}

/** The project root, and whether this file runs compiled (dist/lib/notebook) or from source. */
function locate(root?: string): { root: string; compiled: boolean } {
  const here = path.resolve(__dirname, '..', '..'); // dist/ when compiled, the project when from source
  const compiled = path.basename(here) === 'dist';
  if (root !== undefined) {
    if (!fs.existsSync(root)) throw new Error(`loadExercise: root ${root} does not exist`);
    return { root: path.resolve(root), compiled };
  }
  return { root: compiled ? path.dirname(here) : here, compiled };
}

/** The project's TypeScript, else the copy bundled with tslab (a student install may lack dev tools). */
function typescript(): TypeScriptApi {
  for (const name of ['typescript', '@tslab/typescript-for-tslab']) {
    try {
      return require(name) as TypeScriptApi;
    } catch {
      // try the next one
    }
  }
  throw new Error("loadExercise: cannot load 'typescript' (or tslab's bundled copy); run npm ci");
}
