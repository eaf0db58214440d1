// Math in notebook Markdown, read the way JupyterLab reads it: the formulas are taken out of
// the source BEFORE the Markdown parser sees it (so a formula's `_`, `*`, `\\`, or a line of a
// multi-line formula that starts with `- `, stays TeX), and put back, typeset, afterwards.
// Delimiters: `$...$` inline, `$$...$$` display, `\begin{env}...\end{env}` display. `\$` is a
// literal dollar. Nothing inside code (fenced blocks, `code spans`) is math.

/** Renders one formula (TeX without its delimiters) to HTML. */
export type TypesetFn = (tex: string, display: boolean) => string;

/** One formula found in the source. */
export interface MathSpan {
  tex: string;
  display: boolean;
}

/** The source with formulas replaced by placeholders, and how to put them back. */
export interface ExtractedMath {
  /** The Markdown with each formula replaced by a placeholder of letters and digits. */
  text: string;
  /** The formulas, in order; placeholder i stands for maths[i]. */
  maths: MathSpan[];
  /** Replaces the placeholders in the rendered HTML by the typeset formulas. */
  restore(html: string, typeset: TypesetFn): string;
  /** Replaces the placeholders in plain text by their TeX (heading ids). */
  restoreTex(text: string): string;
}

// Letters and digits only, so no Markdown rule touches it; the nonce keeps it from matching text.
const NONCE = 'Qz7mathK';
const PLACEHOLDER = new RegExp(`${NONCE}(\\d+)${NONCE}`, 'g');
/** A literal `\$`: Markdown would print `$`, which reads like left-over TeX; it is marked instead. */
const DOLLAR = `${NONCE}D${NONCE}`;

/** [start, end) ranges of code: fenced blocks and code spans. */
function codeRanges(src: string): [number, number][] {
  const ranges: [number, number][] = [];
  const fence = /^[ \t>]*(`{3,}|~{3,})[^\n]*$/gm;
  let inFence: { char: string; len: number; start: number } | null = null;
  for (let m = fence.exec(src); m !== null; m = fence.exec(src)) {
    const run = m[1];
    if (inFence === null) inFence = { char: run[0], len: run.length, start: m.index };
    else if (run[0] === inFence.char && run.length >= inFence.len && m[0].trim().replace(/^>\s*/, '') === run) {
      ranges.push([inFence.start, m.index + m[0].length]);
      inFence = null;
    }
  }
  if (inFence !== null) ranges.push([inFence.start, src.length]); // an unclosed fence runs to the end
  const inside = (i: number) => ranges.some(([a, b]) => i >= a && i < b);
  const spans: [number, number][] = [];
  const ticks = /`+/g;
  for (let m = ticks.exec(src); m !== null; m = ticks.exec(src)) {
    if (inside(m.index) || (m.index > 0 && src[m.index - 1] === '\\')) continue;
    const close = new RegExp(`(?<!\`)${m[0]}(?!\`)`, 'g');
    close.lastIndex = m.index + m[0].length;
    const c = close.exec(src);
    if (c === null || /\n[ \t]*\n/.test(src.slice(m.index, c.index))) continue;
    spans.push([m.index, c.index + c[0].length]);
    ticks.lastIndex = c.index + c[0].length;
  }
  return [...ranges, ...spans];
}

function escapedAt(src: string, i: number): boolean {
  let n = 0;
  while (i - 1 - n >= 0 && src[i - 1 - n] === '\\') n++;
  return n % 2 === 1;
}

/**
 * Takes the formulas out of a Markdown source (see the file comment).
 * @param src Markdown as written in a notebook cell
 * @returns the source with placeholders, the formulas, and `restore` for the rendered HTML
 * @example const m = extractMath('a $x_1$ b'); m.restore(md.render(m.text), (tex) => `<i>${tex}</i>`) // '<p>a <i>x_1</i> b</p>\n'
 */
export function extractMath(src: string): ExtractedMath {
  const code = codeRanges(src).sort((a, b) => a[0] - b[0]);
  const maths: MathSpan[] = [];
  let out = '';
  let i = 0;
  let c = 0; // next code range
  const blank = /\n[ \t>]*\n/;
  while (i < src.length) {
    while (c < code.length && code[c][1] <= i) c++;
    if (c < code.length && code[c][0] <= i) {
      out += src.slice(i, code[c][1]);
      i = code[c][1];
      continue;
    }
    const nextCode = c < code.length ? code[c][0] : src.length;
    const ch = src[i];
    if (ch === '\\' && src[i + 1] === '$') {
      out += DOLLAR;
      i += 2;
      continue;
    }
    if (ch === '\\' && !src.startsWith('\\begin{', i)) {
      out += src.slice(i, i + 2); // an escape such as \\ or \*: the next character is not a delimiter
      i += 2;
      continue;
    }
    let span: { end: number; tex: string; display: boolean } | null = null;
    if (ch === '$') {
      const display = src[i + 1] === '$';
      const delim = display ? '$$' : '$';
      let j = src.indexOf(delim, i + delim.length);
      while (j !== -1 && escapedAt(src, j)) j = src.indexOf(delim, j + 1);
      const tex = j === -1 ? '' : src.slice(i + delim.length, j);
      if (j !== -1 && j < nextCode && tex.trim() !== '' && (display || !blank.test(tex))) {
        span = { end: j + delim.length, tex, display };
      }
    } else if (ch === '\\') {
      const env = /^\\begin\{([A-Za-z]+\*?)\}/.exec(src.slice(i));
      const endTag = env ? `\\end{${env[1]}}` : '';
      const j = env ? src.indexOf(endTag, i) : -1;
      if (env && j !== -1 && j < nextCode) span = { end: j + endTag.length, tex: src.slice(i, j + endTag.length), display: true };
    }
    if (span === null) {
      out += ch;
      i++;
      continue;
    }
    out += `${NONCE}${maths.length}${NONCE}`;
    maths.push({ tex: span.tex, display: span.display });
    i = span.end;
  }
  return {
    text: out,
    maths,
    restore(html: string, typeset: TypesetFn): string {
      return html
        .replace(PLACEHOLDER, (_, n: string) => {
          const m = maths[Number(n)];
          return m.display ? `<span class="math-block">${typeset(m.tex, true)}</span>` : typeset(m.tex, false);
        })
        .split(DOLLAR)
        .join('<span class="literal-dollar">$</span>');
    },
    restoreTex(text: string): string {
      return text.replace(PLACEHOLDER, (_, n: string) => maths[Number(n)].tex).split(DOLLAR).join('$');
    },
  };
}
