import * as path from 'node:path';
import * as ts from 'typescript';
import { formatDiagnostic } from '../sandbox/transpile';

let previous: ts.Program | undefined;
// Parsed library and typings files, shared by every check in this process (they do not change).
const parsed = new Map<string, ts.SourceFile>();

/**
 * Type-checks submitted exercise files strictly, as if they stood in the project's exercises/
 * folder (so `../lib/...` and tfjs types resolve), without writing anything. Reuses the previous
 * program's unchanged files (lib, tfjs typings) so many submissions check fast.
 * @param projectRoot the trusted project
 * @param files exercise file name -> source
 * @returns file name -> diagnostics (`file:line:col TSnnnn: message`), only files with errors
 */
export function typecheckSubmission(projectRoot: string, files: Map<string, string>): Map<string, string[]> {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    lib: ['lib.es2022.d.ts'],
    types: ['node'],
    typeRoots: [path.join(projectRoot, 'node_modules', '@types')],
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
  };
  const overlay = new Map<string, string>();
  for (const [name, src] of files) overlay.set(path.join(projectRoot, 'exercises', name), src);
  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, lang, onError, shouldCreate) => {
    const text = overlay.get(path.resolve(fileName));
    if (text !== undefined) return ts.createSourceFile(fileName, text, lang, true);
    const key = path.resolve(fileName);
    const hit = parsed.get(key);
    if (hit) return hit;
    const sf = getSourceFile(fileName, lang, onError, shouldCreate);
    if (sf) parsed.set(key, sf);
    return sf;
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (f) => overlay.has(path.resolve(f)) || fileExists(f);
  const readFile = host.readFile.bind(host);
  host.readFile = (f) => overlay.get(path.resolve(f)) ?? readFile(f);
  const program = ts.createProgram([...overlay.keys()], options, host, previous);
  previous = program;
  const out = new Map<string, string[]>();
  for (const [abs] of overlay) {
    const sf = program.getSourceFile(abs);
    if (!sf) continue;
    const diags = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
    if (diags.length > 0) out.set(path.basename(abs), diags.slice(0, 20).map((d) => formatDiagnostic(d, path.basename(abs))));
  }
  return out;
}
