import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/**
 * Finds uses of forbidden library exports in a submission, statically: a named import of one,
 * or a property access / string key naming one (`mi.gaussianCritic`, `lib['ntXent']`) in a file
 * that imports from the library. Names the student declares themselves are fine. The child also
 * replaces these exports at run time ({@link poisonList}), which catches computed names.
 * @returns one message per use, e.g. `line 3: imports gaussianCritic from the course library`
 */
export function forbiddenLibUses(source: string, fileName: string, forbidden: string[]): string[] {
  if (forbidden.length === 0) return [];
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true);
  const bad = new Set(forbidden);
  const out: string[] = [];
  const line = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  let importsLib = false;
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      const spec = n.moduleSpecifier.text;
      if (spec.startsWith('.')) importsLib = true;
      const named = n.importClause?.namedBindings;
      if (spec.startsWith('.') && named && ts.isNamedImports(named)) {
        for (const el of named.elements) {
          const imported = (el.propertyName ?? el.name).text;
          if (bad.has(imported)) out.push(`line ${line(el)}: imports ${imported} from the course library`);
        }
      }
    }
    if (ts.isCallExpression(n) && n.expression.getText(sf) === 'require') importsLib = true;
    if (ts.isPropertyAccessExpression(n) && bad.has(n.name.text) && n.expression.kind !== ts.SyntaxKind.ThisKeyword) {
      out.push(`line ${line(n)}: uses ${n.getText(sf).slice(0, 60)} from the course library`);
    }
    if (ts.isElementAccessExpression(n) && ts.isStringLiteralLike(n.argumentExpression) && bad.has(n.argumentExpression.text)) {
      out.push(`line ${line(n)}: uses ${n.getText(sf).slice(0, 60)} from the course library`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return importsLib ? out : out.filter((m) => m.includes(' imports '));
}

const poisonLists = new Map<string, Array<[string, string]>>();

/**
 * Where each forbidden name is defined in lib/: pairs of (compiled file relative to the
 * sandbox root, export name) for the child to replace with a throwing stub.
 */
export function poisonList(projectRoot: string, names: string[]): Array<[string, string]> {
  // Once per command, as the library compiled into the sandbox (sandbox_files.ts): lib/ is read once.
  const key = `${projectRoot}\0${names.join('\0')}`;
  const hit = poisonLists.get(key);
  if (hit) return hit;
  const out: Array<[string, string]> = [];
  poisonLists.set(key, out);
  if (names.length === 0) return out;
  const libDir = path.join(projectRoot, 'lib');
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(libDir, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts')) {
        const src = fs.readFileSync(path.join(libDir, r), 'utf8');
        for (const name of names) {
          if (new RegExp(`export\\s+(?:async\\s+)?(?:function\\s*\\*?|const|let|class)\\s+${name}\\b`).test(src)) {
            out.push([path.join('lib', r.replace(/\.ts$/, '.js')), name]);
          }
        }
      }
    }
  };
  if (fs.existsSync(libDir)) walk('');
  return out;
}
