import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { formatDiagnostic } from '../sandbox/transpile';

let previous: ts.Program | undefined;
/**
 * Parsed library and typings files (lib/, tfjs, Node's and TypeScript's declarations), shared by
 * every check in this process and kept in the type-check snapshot (typecheck_snapshot.ts), each
 * with the identity of the file it was parsed from: a file whose identity changed is parsed again.
 */
const parsed = new Map<string, { sf: ts.SourceFile; identity: string }>();

/**
 * What changes whenever a file's content can have changed: size, times and inode. The kernel
 * sets ctime on every write and no program can set it back, so an edit that restores the size
 * and the mtime (npm's fixed package dates, `touch -r`) still shows.
 */
function identity(file: string): string | null {
  try {
    const st = fs.statSync(file, { bigint: true });
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch {
    return null;
  }
}

/** Forgets the parsed files that changed on disk (or are gone) since they were parsed. @returns how many */
export function forgetChangedFiles(): number {
  let n = 0;
  for (const [file, entry] of parsed) {
    if (identity(file) !== entry.identity) {
      parsed.delete(file);
      n++;
    }
  }
  return n;
}

/** Drops the last program and its type checker, keeping the parsed files (what a snapshot keeps). */
export function dropLastProgram(): void {
  previous = undefined;
}

/** How many parsed files this process keeps (tests). */
export function parsedFileCount(): number {
  return parsed.size;
}

/**
 * Type-checks submitted exercise files strictly, as if they stood in the project's exercises/
 * folder (so `../lib/...` and tfjs types resolve), without writing anything. Reuses the previous
 * program's unchanged files (lib, tfjs typings) so many submissions check fast. JSDoc in
 * TypeScript files is parsed only where it can matter to a type error, as `tsc` does.
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
  forgetChangedFiles();
  const overlay = new Map<string, string>();
  for (const [name, src] of files) overlay.set(path.join(projectRoot, 'exercises', name), src);
  const host = ts.createCompilerHost(options, true);
  host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, lang, onError, shouldCreate) => {
    const key = path.resolve(fileName);
    const text = overlay.get(key);
    if (text !== undefined) return ts.createSourceFile(fileName, text, lang, true);
    const hit = parsed.get(key);
    if (hit) return hit.sf;
    const id = identity(key); // before reading: a write after this shows as a changed identity
    const sf = getSourceFile(fileName, lang, onError, shouldCreate);
    if (sf && id !== null) parsed.set(key, { sf, identity: id });
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
