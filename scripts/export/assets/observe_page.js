// Evaluated in an exported page by check_site.ts (after the live charts settled): what a reader
// sees, counted. An expression, so page.evaluate returns its value.
(() => {
  const figures = Array.from(document.querySelectorAll('figure.chart')).map((f) => ({
    live: f.getAttribute('data-live'),
    error: f.getAttribute('data-error'),
    // vega draws each mark set as <g class="mark-<type> role-mark ..."> holding one element per item.
    marks: f.querySelectorAll('.chart-live svg g.role-mark > *').length,
    // The static picture (hidden once the live chart drew) must decode too: it is the fallback.
    staticDecodes: Array.from(f.querySelectorAll('img.chart-static')).some((img) => img.complete && img.naturalWidth > 0),
  }));
  const mathErrors = Array.from(document.querySelectorAll('mjx-container [data-mjx-error], mjx-container merror')).map((e) => {
    const container = e.closest('mjx-container');
    return `${e.getAttribute('data-mjx-error') || 'error'} in ${container ? container.getAttribute('aria-label') : '?'}`;
  });
  const TEX = /\$|\\begin\{|\\\(|\\\[/;
  const rawMath = [];
  const walker = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    const text = node.textContent || '';
    if (!TEX.test(text) || (node.parentElement && node.parentElement.closest('pre, code, script, style, svg, mjx-container, textarea, .literal-dollar'))) continue;
    const at = text.search(TEX);
    rawMath.push(text.slice(Math.max(0, at - 40), at + 40).replace(/\s+/g, ' '));
  }
  const brokenImages = Array.from(document.images).filter((img) => !img.hidden && (!img.complete || img.naturalWidth === 0)).length;
  const links = Array.from(document.querySelectorAll('a[href]'))
    .map((a) => a.getAttribute('href') || '')
    .filter((h) => !/^[a-z][a-z0-9+.-]*:|^#/i.test(h));
  // In-page links (an agenda's #Key-ingredients) must land on an element with that id.
  const deadAnchors = Array.from(document.querySelectorAll('a[href^="#"]'))
    .map((a) => a.getAttribute('href'))
    .filter((h) => h.length > 1 && document.getElementById(decodeURIComponent(h.slice(1))) === null);
  return {
    figures,
    formulas: document.querySelectorAll('mjx-container').length,
    mathErrors,
    rawMath,
    brokenImages,
    banner: /Hi, looks like you are running TensorFlow\.js in Node\.js/.test(document.body.innerText),
    links,
    deadAnchors,
    csp: window.__clabCsp || [],
  };
})()
