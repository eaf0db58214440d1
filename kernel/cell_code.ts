// The JavaScript a cell runs, made from what tslab's converter emits:
// - a call to the interrupt check at the top of every loop body and after every `await`, so that
//   an interrupt stops a cell's own loops, synchronous or not, where they stand;
// - `{q}` (object shorthand) naming a variable of an earlier cell becomes `{q: exports.q}`: the
//   converter reaches earlier cells' variables through `exports` but leaves shorthand alone, which
//   threw ReferenceError;
// - the wrapper that runs it, with `exports` (every cell's top-level variables), `require` (from
//   the notebook's folder) and the check as arguments.
import * as ts from '@tslab/typescript-for-tslab';

/** The wrapper's name for the interrupt check; a cell cannot declare it by accident. */
export const CHECK = '__jupyterInterruptCheck__';
/** The global the wrapper takes its arguments from while the cell's script runs. */
export const CELL_ARGS = Symbol.for('jupyter.kernel.cellArguments');

/** Names bound anywhere in `file` (variables, functions, classes, parameters, imports). */
function boundNames(file: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (
      (ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isClassDeclaration(node) || ts.isClassExpression(node) || ts.isBindingElement(node) || ts.isImportClause(node) || ts.isNamespaceImport(node) || ts.isImportSpecifier(node)) &&
      node.name !== undefined &&
      ts.isIdentifier(node.name)
    ) {
      names.add(node.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return names;
}

/** A word that makes a loop or an await (or merely looks like one, in a string or a comment). */
const LOOP_OR_AWAIT = /(?<![\p{ID_Continue}$\u200c\u200d])(?:for|while|do|await)(?![\p{ID_Continue}$\u200c\u200d])/u;
/** An identifier not after a dot: the only place a bare earlier-cell name can stand is shorthand. */
const BARE_NAME = /(?<![.\p{ID_Continue}$\u200c\u200d\\])[\p{ID_Start}_$\\][\p{ID_Continue}$\u200c\u200d\\]*/gu;

/**
 * Whether instrument() could change `js`: a loop, an await, or an earlier cell's name standing
 * bare (the converter writes every other use of one as `exports.name`). A word in a string or
 * comment only costs the full pass; a name written with a \u escape takes it too.
 */
function mayNeedRewrite(js: string, earlier: ReadonlySet<string>): boolean {
  if (LOOP_OR_AWAIT.test(js)) return true;
  if (earlier.size === 0) return false;
  for (const [word] of js.matchAll(BARE_NAME)) if (earlier.has(word) || word.includes('\\')) return true;
  return false;
}

/**
 * The cell's JavaScript with interrupt checks, and earlier cells' variables in object shorthand
 * read from `exports`; `js` itself when there is nothing to add (most short cells: parsing and
 * printing them again cost more than the rest of the kernel's own work on a cell).
 * @param js what the converter emitted (CommonJS)
 * @param earlier names earlier cells defined (keys of `exports`)
 */
export function instrument(js: string, earlier: ReadonlySet<string>): string {
  if (!mayNeedRewrite(js, earlier)) return js;
  const file = ts.createSourceFile('cell.js', js, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const own = boundNames(file);
  const transformer: ts.TransformerFactory<ts.SourceFile> = (context) => {
    const f = context.factory;
    const check = (args: ts.Expression[]) => f.createCallExpression(f.createIdentifier(CHECK), undefined, args);
    const withCheck = (body: ts.Statement): ts.Statement => {
      const statements = ts.isBlock(body) ? [...body.statements] : [body];
      return f.createBlock([f.createExpressionStatement(check([])), ...statements], true);
    };
    const visit = (node: ts.Node): ts.Node => {
      if (ts.isAwaitExpression(node)) {
        return check([f.updateAwaitExpression(node, ts.visitNode(node.expression, visit) as ts.Expression)]);
      }
      if (ts.isShorthandPropertyAssignment(node) && earlier.has(node.name.text) && !own.has(node.name.text) && node.objectAssignmentInitializer === undefined) {
        return f.createPropertyAssignment(node.name.text, f.createPropertyAccessExpression(f.createIdentifier('exports'), node.name.text));
      }
      const visited = ts.visitEachChild(node, visit, context);
      if (ts.isForStatement(visited)) return f.updateForStatement(visited, visited.initializer, visited.condition, visited.incrementor, withCheck(visited.statement));
      if (ts.isForOfStatement(visited)) return f.updateForOfStatement(visited, visited.awaitModifier, visited.initializer, visited.expression, withCheck(visited.statement));
      if (ts.isForInStatement(visited)) return f.updateForInStatement(visited, visited.initializer, visited.expression, withCheck(visited.statement));
      if (ts.isWhileStatement(visited)) return f.updateWhileStatement(visited, visited.expression, withCheck(visited.statement));
      if (ts.isDoStatement(visited)) return f.updateDoStatement(visited, withCheck(visited.statement), visited.expression);
      return visited;
    };
    return (root) => ts.visitNode(root, visit) as ts.SourceFile;
  };
  const result = ts.transform(file, [transformer]);
  try {
    return ts.createPrinter({ newLine: ts.NewLineKind.LineFeed }).printFile(result.transformed[0]);
  } finally {
    result.dispose();
  }
}

/**
 * The script vm runs: the cell's code in a function (async when it awaits at top level) called
 * at once with the arguments under {@link CELL_ARGS}. The code starts on the script's second line.
 */
export function wrapCell(js: string, async: boolean): string {
  const args = `globalThis[Symbol.for(${JSON.stringify(CELL_ARGS.description)})]`;
  return `(${async ? 'async ' : ''}function (exports, require, ${CHECK}) {\n${js}\n}).apply(undefined, ${args});`;
}
