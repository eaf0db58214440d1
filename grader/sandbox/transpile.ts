import * as ts from 'typescript';

/** Result of {@link transpile}: JS, or the syntax errors that stop it from running. */
export interface TranspileResult {
  js: string;
  /** `file:line:col message` per syntax error; empty when the file compiles. */
  errors: string[];
}

/**
 * Compiles one TypeScript file to CommonJS JS in the trusted parent (no type information, so it
 * is fast and never reads other files). Syntax errors are returned, not thrown.
 * @param source the TypeScript text
 * @param fileName name shown in messages, e.g. `ex01-triplet.ts`
 */
export function transpile(source: string, fileName: string): TranspileResult {
  const out = ts.transpileModule(source, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      esModuleInterop: true,
      sourceMap: false,
      inlineSourceMap: false,
    },
  });
  const errors = (out.diagnostics ?? [])
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => formatDiagnostic(d, fileName));
  return { js: out.outputText, errors };
}

/** `ex01-triplet.ts:12:5 TS1005: ';' expected.` */
export function formatDiagnostic(d: ts.Diagnostic, fallbackName: string): string {
  const msg = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (d.file && d.start !== undefined) {
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${d.file.fileName.split(/[\\/]/).pop() ?? fallbackName}:${line + 1}:${character + 1} TS${d.code}: ${msg}`;
  }
  return `${fallbackName} TS${d.code}: ${msg}`;
}
