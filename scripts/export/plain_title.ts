// A notebook title in plain text for the browser tab and messages: Markdown marks removed and
// the TeX that titles use turned into the Unicode a reader expects ($I(x;y) \ge \log N$ -> I(x;y) ≥ log N).

const SYMBOLS: Record<string, string> = {
  ge: '≥', geq: '≥', le: '≤', leq: '≤', ne: '≠', neq: '≠', approx: '≈', sim: '∼', to: '→', rightarrow: '→', leftarrow: '←',
  times: '×', cdot: '·', pm: '±', infty: '∞', sum: 'Σ', prod: 'Π', in: '∈', mid: '|', ldots: '…', dots: '…',
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', theta: 'θ', lambda: 'λ', mu: 'μ', pi: 'π', rho: 'ρ',
  sigma: 'σ', tau: 'τ', phi: 'φ', psi: 'ψ', omega: 'ω', Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Sigma: 'Σ', Omega: 'Ω',
  quad: ' ', qquad: ' ', ',': ' ', ';': ' ', '!': '',
};

function texToText(tex: string): string {
  return tex
    .replace(/\\(?:mathcal|mathrm|mathbf|mathbb|text|operatorname|boldsymbol)\s*\{([^{}]*)\}/g, '$1')
    .replace(/\\([A-Za-z]+|[,;!])/g, (whole, name: string) => SYMBOLS[name] ?? (/^[a-z]+$/.test(name) ? name : whole))
    .replace(/[{}]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Plain text of a one-line Markdown title: math typeset as Unicode where it can be, emphasis,
 * code and link marks removed.
 * @example plainTitle('02 · The InfoNCE bound: $I(x;y) \\ge \\log N - \\mathcal{L}$') // '02 · The InfoNCE bound: I(x;y) ≥ log N - L'
 */
export function plainTitle(markdown: string): string {
  return markdown
    .replace(/\$\$?([^$]+)\$\$?/g, (_, tex: string) => texToText(tex))
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
