// Terminal colour codes in stream and error outputs (tracebacks, coloured logs) become spans,
// as Jupyter shows them; every other escape sequence is dropped.
import { escapeHtml } from './html_escape';

// The 16 standard colours (normal, then bright), as xterm draws them.
const PALETTE = ['#000000', '#cd3131', '#0dbc79', '#bc8f00', '#2472c8', '#bc3fbc', '#11a8cd', '#aaaaaa', '#666666', '#f14c4c', '#23d18b', '#d0a000', '#3b8eea', '#d670d6', '#29b8db', '#e5e5e5'];

function color256(n: number): string {
  if (n < 16) return PALETTE[n];
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v},${v},${v})`;
  }
  const i = n - 16;
  const level = (k: number) => (k === 0 ? 0 : 55 + k * 40);
  return `rgb(${level(Math.floor(i / 36))},${level(Math.floor(i / 6) % 6)},${level(i % 6)})`;
}

interface Style {
  fg?: string;
  bg?: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
}

/** Applies one SGR parameter list (`ESC [ ... m`) to the style. */
function apply(style: Style, params: number[]): Style {
  const s = { ...style };
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if (p === 0) Object.keys(s).forEach((k) => delete s[k as keyof Style]);
    else if (p === 1) s.bold = true;
    else if (p === 3) s.italic = true;
    else if (p === 4) s.underline = true;
    else if (p === 22) delete s.bold;
    else if (p === 23) delete s.italic;
    else if (p === 24) delete s.underline;
    else if (p >= 30 && p <= 37) s.fg = PALETTE[p - 30];
    else if (p >= 90 && p <= 97) s.fg = PALETTE[p - 90 + 8];
    else if (p >= 40 && p <= 47) s.bg = PALETTE[p - 40];
    else if (p >= 100 && p <= 107) s.bg = PALETTE[p - 100 + 8];
    else if (p === 39) delete s.fg;
    else if (p === 49) delete s.bg;
    else if ((p === 38 || p === 48) && params[i + 1] === 5 && params[i + 2] !== undefined) {
      s[p === 38 ? 'fg' : 'bg'] = color256(params[i + 2]);
      i += 2;
    } else if ((p === 38 || p === 48) && params[i + 1] === 2 && params[i + 4] !== undefined) {
      s[p === 38 ? 'fg' : 'bg'] = `rgb(${params[i + 2]},${params[i + 3]},${params[i + 4]})`;
      i += 4;
    }
  }
  return s;
}

function css(style: Style): string {
  const parts = [];
  if (style.fg) parts.push(`color:${style.fg}`);
  if (style.bg) parts.push(`background-color:${style.bg}`);
  if (style.bold) parts.push('font-weight:bold');
  if (style.italic) parts.push('font-style:italic');
  if (style.underline) parts.push('text-decoration:underline');
  return parts.join(';');
}

/**
 * Converts text with ANSI escape codes to HTML: colours and bold/italic/underline become
 * `<span style>`; cursor movement and other sequences are removed; the text is HTML-escaped.
 * @example ansiToHtml('\x1b[31mError\x1b[0m: boom') // '<span style="color:#cd3131">Error</span>: boom'
 */
export function ansiToHtml(text: string): string {
  if (typeof text !== 'string') throw new Error(`ansiToHtml: text must be a string, got ${typeof text}`);
  // eslint-disable-next-line no-control-regex
  const sequence = /\x1b\[([0-9;]*)([A-Za-z])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Za-z0-9]|\x1b./g;
  let out = '';
  let style: Style = {};
  let last = 0;
  const emit = (chunk: string) => {
    if (chunk === '') return;
    const rule = css(style);
    out += rule === '' ? escapeHtml(chunk) : `<span style="${rule}">${escapeHtml(chunk)}</span>`;
  };
  for (let m = sequence.exec(text); m !== null; m = sequence.exec(text)) {
    emit(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[2] === 'm') style = apply(style, (m[1] === '' ? '0' : m[1]).split(';').map((x) => Number(x || 0)));
  }
  emit(text.slice(last));
  return out;
}
