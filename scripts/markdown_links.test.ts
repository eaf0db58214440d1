import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import MarkdownIt from 'markdown-it';
import { copiedToRelease, STUDENT_README_TARGET } from '../grader/release/release';
import { STUDENT_README_TEMPLATE } from '../grader/release/student_readme';

// Every relative link in the project's Markdown points at a file that exists, and its #anchor at
// a heading of that file (GitHub's slugs). The docs are read on GitHub and in the student
// repository, where a dead link is the first thing a newcomer meets. Also checked: a file path in
// a code span (`lib/x.ts`) names a file of the repository, and a Markdown file that the release
// copies links only to files the release ships. No network: http(s) and mailto links are skipped.

const ROOT = path.resolve(__dirname, '..');
const mdParser = new MarkdownIt({ html: true });

interface Reference {
  line: number;
  target: string;
}

interface Parsed {
  /** Every heading's slug, duplicates numbered as GitHub numbers them (`x`, `x-1`, `x-2`). */
  anchors: Set<string>;
  links: Reference[];
  /** Code spans that look like a path in the repository (`grader/engine/zip_directory.ts`). */
  paths: Reference[];
}

/** GitHub's heading anchor: lowercase, punctuation dropped except `-` and `_`, spaces to `-`. */
export function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\p{M} _-]/gu, '').replace(/ /g, '-');
}

/** The line (1-based) of `needle` at or after the block's first line, or the block's first line. */
function lineOf(lines: string[], map: [number, number] | null | undefined, needle: string): number {
  if (!map) return 1;
  for (let i = map[0]; i < Math.max(map[1], map[0] + 1) && i < lines.length; i++) if (lines[i].includes(needle)) return i + 1;
  return map[0] + 1;
}

/** A code span that names a file by its path: a folder, a name, an extension, nothing to fill in. */
const PATH_SPAN = /^(?:\.{1,2}\/)?[\w.-]+(?:\/[\w.-]+)+\.(?:md|ts|mjs|js|py|json|yml|sh|ipynb)$/;
/** Paths that are made, not committed: generated output, caches, what release writes. */
const MADE = /^(out|dist|node_modules|\.venv|\.jupyter-local|grader-results|grades?|s\d)\/|^grader\/frozen\/|^\.github\//;

export function parse(text: string): Parsed {
  const lines = text.split('\n');
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const links: Reference[] = [];
  const paths: Reference[] = [];
  const tokens = mdParser.parse(text, {});
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type === 'heading_open') {
      const inline = tokens[i + 1];
      const words = (inline.children ?? []).filter((c) => c.type === 'text' || c.type === 'code_inline').map((c) => c.content).join('');
      const base = slug(words);
      const n = seen.get(base) ?? 0;
      anchors.add(n === 0 ? base : `${base}-${n}`);
      seen.set(base, n + 1);
    }
    if (t.type !== 'inline') continue;
    for (const c of t.children ?? []) {
      if (c.type === 'link_open') {
        const href = String(c.attrGet('href') ?? '');
        if (/^[a-z][a-z0-9+.-]*:/i.test(href)) continue; // http:, https:, mailto:
        links.push({ line: lineOf(lines, t.map, `](${href}`), target: href });
      } else if (c.type === 'code_inline' && PATH_SPAN.test(c.content) && !/NN/.test(c.content)) {
        // (exNN-name.ts is a pattern, not a file)
        paths.push({ line: lineOf(lines, t.map, `\`${c.content}\``), target: c.content });
      }
    }
  }
  return { anchors, links, paths };
}

const tracked = execFileSync('git', ['ls-files', '-z', '--', '*.md'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
const cache = new Map<string, Parsed>();
function parsedFile(abs: string): Parsed {
  let p = cache.get(abs);
  if (!p) cache.set(abs, (p = parse(fs.readFileSync(abs, 'utf8'))));
  return p;
}

/**
 * What is wrong with each relative link of a Markdown file, as `file:line [link] -> why`.
 * @param rel the file's repository path, for the messages and the release check
 * @param text the file's Markdown
 * @param exists whether a repository path exists (a file or a folder)
 * @param released whether a repository path is shipped to students, or null not to check
 */
export function brokenLinks(rel: string, text: string, exists: (p: string) => boolean, released: ((p: string) => boolean) | null): string[] {
  const bad: string[] = [];
  const { anchors, links, paths } = parse(text);
  const dir = path.posix.dirname(rel);
  for (const { line, target } of links) {
    const [file, anchor] = target.split('#', 2) as [string, string | undefined];
    const to = file === '' ? rel : path.posix.normalize(path.posix.join(dir, decodeURI(file)));
    const where = `${rel}:${line} [${target}]`;
    if (to.startsWith('../')) bad.push(`${where} -> leaves the repository`);
    else if (!exists(to)) bad.push(`${where} -> ${to} does not exist`);
    else if (released && !released(to)) bad.push(`${where} -> ${to} is not in the student release, which ships ${rel}`);
    else if (anchor !== undefined && to.endsWith('.md')) {
      const targets = to === rel ? anchors : parsedFile(path.join(ROOT, to)).anchors;
      if (!targets.has(anchor)) bad.push(`${where} -> no heading "#${anchor}" in ${to}`);
    }
  }
  for (const { line, target } of paths) {
    if (MADE.test(target)) continue;
    const candidates = [path.posix.normalize(path.posix.join(dir, target)), path.posix.normalize(target)];
    if (!candidates.some(exists)) bad.push(`${rel}:${line} \`${target}\` -> no such file (looked in ${[...new Set(candidates)].join(', ')})`);
  }
  return bad;
}

const existsInRepo = (p: string) => fs.existsSync(path.join(ROOT, p));
/** A path the student repository holds: copied as it is, or written by release itself. */
const inRelease = (p: string) => copiedToRelease(p) || p === STUDENT_README_TARGET || p.startsWith('exercises/');

/** A heading's text as a hint quotes it: markdown marks dropped, lowercase. */
const headingText = (h: string) => h.replace(/[`*]/g, '').trim().toLowerCase();

/**
 * Hints in source files that send a reader to a section, `grader/DESIGN.md, "The sandbox"` or
 * `DEVELOPING.md's "Architecture" section`, whose file or heading does not exist (a hint quotes a
 * heading or its beginning).
 */
export function staleHints(rel: string, text: string, headingsOf: (md: string) => string[] | null): string[] {
  const bad: string[] = [];
  for (const m of text.matchAll(/([\w./-]+\.md)(?:,|'s)?\s+"([^"]+)"/g)) {
    const asWritten = m[2].replace(/\s*\n\s*(\*\s*|\/\/\s*|#\s*)?/g, ' ');
    const quoted = headingText(asWritten);
    const line = text.slice(0, m.index).split('\n').length;
    const headings = headingsOf(m[1]);
    if (headings === null) bad.push(`${rel}:${line} ${m[1]} -> no such file`);
    else if (!headings.some((h) => headingText(h).startsWith(quoted))) bad.push(`${rel}:${line} ${m[1]}, "${asWritten}" -> no such heading`);
  }
  return bad;
}

function headingsOf(md: string): string[] | null {
  const abs = path.join(ROOT, md);
  if (!fs.existsSync(abs)) return null;
  const tokens = mdParser.parse(fs.readFileSync(abs, 'utf8'), {});
  return tokens.flatMap((t, i) => (t.type === 'heading_open' ? [tokens[i + 1].content] : []));
}

describe('Markdown links (every *.md tracked by git, and the student README template)', () => {
  it('finds the Markdown files, among them the READMEs', () => {
    for (const f of ['README.md', 'grader/README.md', 'bench/README.md']) assert.ok(tracked.includes(f), f);
  });

  it('every relative link names a file that exists and a heading that file has; code spans name real files', () => {
    const bad = tracked.flatMap((rel) => brokenLinks(rel, fs.readFileSync(path.join(ROOT, rel), 'utf8'), existsInRepo, copiedToRelease(rel) ? inRelease : null));
    assert.deepEqual(bad, []);
  });

  it("the student README template's links resolve in the released repository, where it is README.md", () => {
    const text = fs.readFileSync(STUDENT_README_TEMPLATE, 'utf8');
    assert.deepEqual(brokenLinks(STUDENT_README_TARGET, text, (p) => inRelease(p) && (p === STUDENT_README_TARGET || existsInRepo(p)), inRelease), []);
  });

  it('every hint in the source that names a Markdown section ("grader/DESIGN.md, \"The sandbox\"") names one that exists', () => {
    const sources = execFileSync('git', ['ls-files', '-z', '--', '*.ts', '*.mjs', '*.js', '*.py', '*.sh', '*.yml'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
    const bad = sources.filter((f) => f !== 'scripts/markdown_links.test.ts').flatMap((rel) => staleHints(rel, fs.readFileSync(path.join(ROOT, rel), 'utf8'), headingsOf));
    assert.deepEqual(bad, []);
  });

  describe('the checker itself', () => {
    const exists = (p: string) => ['README.md', 'lib/losses/README.md', 'bench/README.md', 'lib/losses/nt_xent.ts'].includes(p);
    it('slug() follows GitHub: "Machine-readable output: `--json` (check, grade)" -> machine-readable-output---json-check-grade', () => {
      assert.equal(slug('Machine-readable output: --json (check, grade)'), 'machine-readable-output---json-check-grade');
      assert.equal(slug('Tamper evidence: the release manifest'), 'tamper-evidence-the-release-manifest');
      assert.equal(slug('what_it is, é'), 'what_it-is-é');
    });
    it('numbers duplicate headings -1, -2 and ignores headings in code blocks', () => {
      const { anchors } = parse('# A\n\n## A\n\n```sh\n# not a heading\n```\n\n### A\n');
      assert.deepEqual([...anchors].sort(), ['a', 'a-1', 'a-2']);
    });
    it('names file:line and the link for a missing file, a missing heading, and a link out of the student release', () => {
      const text = '# Top\n\nsee [x](missing.md) and\n[y](README.md#nowhere) and [z](#top), [w](https://example.com/x.md)\n\n[b](../../bench/README.md)\n';
      assert.deepEqual(brokenLinks('lib/losses/README.md', text, exists, (p) => p.startsWith('lib/')), [
        'lib/losses/README.md:3 [missing.md] -> lib/losses/missing.md does not exist',
        'lib/losses/README.md:4 [README.md#nowhere] -> no heading "#nowhere" in lib/losses/README.md',
        'lib/losses/README.md:6 [../../bench/README.md] -> bench/README.md is not in the student release, which ships lib/losses/README.md',
      ]);
    });
    it('staleHints() names a hint whose section moved, and accepts a heading quoted by its beginning, across comment lines', () => {
      const headings = (md: string) => (md === 'grader/DESIGN.md' ? ['Never a wrong zero: sandbox set-up and the canary', 'Guess-proof tests'] : null);
      const code = '// see grader/README.md, "The sandbox"\n/* grader/DESIGN.md, "Never a wrong zero" and (grader/DESIGN.md, "Guess-proof\n * tests") */\n// grader/DESIGN.md, "Spec format"\n';
      assert.deepEqual(staleHints('x.ts', code, headings), ['x.ts:1 grader/README.md -> no such file', 'x.ts:4 grader/DESIGN.md, "Spec format" -> no such heading']);
    });
    it("fails on lib/losses/README.md's old pointer at `shared/seed/NOTES.md`, a file not in the repository", () => {
      const old = 'Conventions (see `shared/seed/NOTES.md`): NT-Xent is the mean over 2N anchors; see `nt_xent.ts`.\n';
      assert.deepEqual(brokenLinks('lib/losses/README.md', old, exists, null), [
        'lib/losses/README.md:1 `shared/seed/NOTES.md` -> no such file (looked in lib/losses/shared/seed/NOTES.md, shared/seed/NOTES.md)',
      ]);
    });
  });
});
