// Draws every chart of an exported page live with vega (inlined in the page before this
// script): tooltips, text measured by the browser. Each figure starts with its static SVG
// picture; it is hidden only once the live chart has drawn, so a chart is never blank.
// window.clabCharts resolves when every chart is drawn or has failed (the site check waits on it).
(function () {
  'use strict';
  var figures = Array.prototype.slice.call(document.querySelectorAll('figure.chart'));
  window.clabCharts = Promise.all(
    figures.map(function (figure) {
      var picture = figure.querySelector('img.chart-static');
      var container = document.createElement('div');
      container.className = 'chart-live';
      function fail(error) {
        if (container.parentNode) container.parentNode.removeChild(container);
        figure.setAttribute('data-live', 'failed');
        figure.setAttribute('data-error', String((error && error.message) || error));
        console.error('live chart failed, the static picture stays:', error);
      }
      try {
        if (typeof vega === 'undefined') throw new Error('vega did not load');
        var spec = JSON.parse(figure.querySelector('script.chart-spec').textContent);
        figure.insertBefore(container, picture);
        var view = new vega.View(vega.parse(spec), { renderer: 'svg', container: container, hover: true });
        return view.runAsync().then(function () {
          picture.hidden = true;
          figure.setAttribute('data-live', 'drawn');
        }, fail);
      } catch (error) {
        fail(error);
        return Promise.resolve();
      }
    }),
  );
})();
