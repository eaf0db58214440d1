// TeX -> SVG at export time, with MathJax 3 (the engine JupyterLab typesets with) from npm.
// Pre-rendering means the published page needs no math script, no font files and no network:
// each formula is an inline <svg> of glyph paths.
import { liteAdaptor } from 'mathjax-full/js/adaptors/liteAdaptor.js';
import { RegisterHTMLHandler } from 'mathjax-full/js/handlers/html.js';
import { TeX } from 'mathjax-full/js/input/tex.js';
import { AllPackages } from 'mathjax-full/js/input/tex/AllPackages.js';
import { mathjax } from 'mathjax-full/js/mathjax.js';
import { SVG } from 'mathjax-full/js/output/svg.js';

/** A formula MathJax could not typeset: its source and MathJax's message. */
export interface TexError {
  tex: string;
  message: string;
}

/** Turns TeX into inline SVG; one per page, since the page holds the glyphs its formulas share. */
export interface TexTypesetter {
  /**
   * The formula as `<mjx-container>` holding an `<svg>`; a formula with an error comes back as
   * MathJax's red error box and is also recorded in `errors`.
   */
  typeset(tex: string, display: boolean): string;
  /** MathJax's stylesheet for the containers (display math centred, baseline alignment). */
  styles(): string;
  /**
   * The hidden <svg> holding the glyph shapes every formula so far refers to (`<use>`); the
   * page must include it once. Glyphs are shared this way instead of repeated in each formula.
   */
  glyphDefs(): string;
  /** Every formula that failed so far, in order. */
  readonly errors: TexError[];
}

// 'noerrors' and 'noundefined' would turn a typo into quietly printed source; we want to hear of it.
const PACKAGES = AllPackages.filter((p) => p !== 'noerrors' && p !== 'noundefined');

let adaptor: ReturnType<typeof liteAdaptor> | null = null;

/**
 * Makes a TeX typesetter for one page: all of MathJax's TeX packages except the two that hide
 * errors, SVG output whose glyphs are defined once in {@link TexTypesetter.glyphDefs}.
 * @example const tex = texTypesetter(); const html = tex.typeset('\\log N - \\mathcal{L}', false) + tex.glyphDefs();
 */
export function texTypesetter(): TexTypesetter {
  if (adaptor === null) {
    adaptor = liteAdaptor();
    RegisterHTMLHandler(adaptor);
  }
  const lite = adaptor;
  const errors: TexError[] = [];
  let current = '';
  const input = new TeX({
    packages: PACKAGES,
    // Called for a parse error (unknown macro, missing brace): keep MathJax's visible error
    // box in the page, and remember the formula so the export can name it.
    formatError: (jax: { formatError(e: Error): unknown }, err: Error) => {
      errors.push({ tex: current, message: err.message });
      return jax.formatError(err);
    },
  });
  const output = new SVG({ fontCache: 'global' });
  const doc = mathjax.document('', { InputJax: input, OutputJax: output });
  return {
    errors,
    typeset(tex: string, display: boolean): string {
      if (typeof tex !== 'string') throw new Error(`texTypesetter.typeset: tex must be a string, got ${typeof tex}`);
      current = tex;
      const node = doc.convert(tex, { display });
      // Screen readers and find-in-page get the source; the SVG itself has no text.
      lite.setAttribute(node, 'aria-label', tex);
      lite.setAttribute(node, 'data-tex', display ? 'display' : 'inline');
      return lite.outerHTML(node);
    },
    styles(): string {
      return lite.textContent(output.styleSheet(doc) as never);
    },
    glyphDefs(): string {
      return lite.outerHTML(output.pageElements(doc) as never);
    },
  };
}
