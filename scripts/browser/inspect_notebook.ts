// What a student sees in an open JupyterLab notebook, read from the page (the browser suite's oracle).
import type { Page } from 'playwright-core';

// The page-side code below runs in the browser. The project compiles without the DOM library
// (lib/ must not use it), so the few DOM objects used here are typed loosely, for this file only.
type El = any;
declare const document: El;

/** One vega-lite output as drawn. */
export interface ChartSeen {
  /** Index of the cell that holds it (0-based, all cells). */
  cell: number;
  /** 'svg', 'canvas' or 'none' (nothing drawn). */
  drawnAs: 'svg' | 'canvas' | 'none';
  /** SVG: elements inside vega's data-mark groups. Canvas: coloured pixels (axes and text are grey). */
  marks: number;
  width: number;
  height: number;
}

/** One output the student would read as a failure. */
export interface ProblemSeen {
  cell: number;
  mime: string;
  text: string;
}

/** See {@link inspectNotebook}. */
export interface NotebookSeen {
  /** The kernel name in the notebook toolbar, e.g. 'TypeScript'. */
  kernel: string;
  /** The status bar's kernel text, e.g. 'TypeScript | Idle'. */
  status: string;
  /** Each code cell's prompt text, in order: '[3]:', '[*]:' or '[ ]:'. */
  prompts: string[];
  /** Every output's mime type, with its cell index. */
  outputs: { cell: number; mime: string }[];
  charts: ChartSeen[];
  /** stderr streams and error outputs. */
  problems: ProblemSeen[];
  /** Rendered markdown text that still looks like TeX ($...$, \(...\), \begin{...}, \frac...). */
  rawTex: string[];
  /** Formulas MathJax typeset (mjx-container elements). */
  typeset: number;
  /** Pop-ups a student would have to dismiss: notification toasts and dialogs, by their text. */
  notices: string[];
}

/** JupyterLab's status-bar text items; the kernel's reads e.g. 'TypeScript | Idle'. */
export const STATUS_BAR_ITEMS = '.jp-StatusBar-TextItem';

/**
 * Reads the notebook in the page's current notebook panel: prompts, outputs, how each vega-lite
 * chart was drawn, problem outputs, leftover raw TeX and the kernel shown.
 * @example const seen = await inspectNotebook(page); assert.deepEqual(seen.problems, []);
 */
export async function inspectNotebook(page: Page): Promise<NotebookSeen> {
  // tsx compiles this file with esbuild's keepNames, which wraps the functions below in a
  // __name(...) helper that the page does not have: give it one (a string, so it stays as is).
  await page.evaluate('globalThis.__name ??= (f) => f');
  return page.evaluate((statusItems: string): NotebookSeen => {
    const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)') ?? document;
    const cells: El[] = [...panel.querySelectorAll('.jp-Notebook .jp-Cell')];
    const cellOf = (el: El): number => cells.findIndex((c) => c.contains(el));
    const text = (el: El): string => (el?.textContent ?? '').trim();

    const prompts = [...panel.querySelectorAll('.jp-CodeCell > .jp-Cell-inputWrapper .jp-InputPrompt')].map((p: El) => text(p));
    // JupyterLab marks most outputs with their mime type; its vega renderer only with a class.
    const VEGA = '.jp-OutputArea-output.jp-RenderedVegaLite';
    const mimeOf = (o: El): string => o.getAttribute('data-mime-type') ?? (o.matches(VEGA) ? 'application/vnd.vegalite' : '');
    const outputs = [...panel.querySelectorAll('.jp-OutputArea-output')].map((o: El) => ({ cell: cellOf(o), mime: mimeOf(o) }));

    const charts = [...panel.querySelectorAll(VEGA)].map((o: El) => {
      const svg = o.querySelector('.vega-embed svg.marks');
      const canvas = o.querySelector('.vega-embed canvas.marks');
      const box = (svg ?? canvas ?? o).getBoundingClientRect();
      let drawnAs: 'svg' | 'canvas' | 'none' = 'none';
      let marks = 0;
      if (svg) {
        drawnAs = 'svg';
        marks = svg.querySelectorAll('.role-mark > *, .role-mark path, .role-mark rect').length;
      } else if (canvas && canvas.width > 0 && canvas.height > 0) {
        drawnAs = 'canvas';
        const data: Uint8ClampedArray | undefined = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 0; data && i < data.length; i += 4) {
          const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
          if (a > 128 && Math.max(r, g, b) - Math.min(r, g, b) > 40) marks++;
        }
      }
      return { cell: cellOf(o), drawnAs, marks, width: Math.round(box.width), height: Math.round(box.height) };
    });

    const problems = [...panel.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]')].map(
      (o: El) => ({ cell: cellOf(o), mime: o.getAttribute('data-mime-type') ?? '', text: text(o).slice(0, 2000) }),
    );

    const rawTex: string[] = [];
    for (const md of panel.querySelectorAll('.jp-MarkdownCell .jp-RenderedMarkdown')) {
      const copy = md.cloneNode(true);
      copy.querySelectorAll('code, pre, mjx-container, mjx-assistive-mml, script').forEach((e: El) => e.remove());
      const t: string = copy.textContent ?? '';
      const m = t.match(/\$[^$\n]{1,80}\$?|\\\(|\\\[|\\begin\{|\\(frac|mathcal|mathbb|mathrm|log|sum)\b/);
      if (m) rawTex.push(`cell ${cellOf(md)}: ...${t.slice(Math.max(0, (m.index ?? 0) - 40), (m.index ?? 0) + 60)}...`);
    }

    return {
      kernel: text(document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Toolbar-kernelName')),
      status: [...document.querySelectorAll(statusItems)].map((e: El) => text(e)).find((t: string) => / \| /.test(t)) ?? '',
      prompts,
      outputs,
      charts,
      problems,
      rawTex,
      typeset: panel.querySelectorAll('mjx-container').length,
      notices: [...document.querySelectorAll('.Toastify__toast, .jp-Dialog')].map((e: El) => text(e).slice(0, 300)),
    };
  }, STATUS_BAR_ITEMS);
}
