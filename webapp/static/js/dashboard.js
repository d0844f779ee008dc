// Draws every [data-figure] with plotly.js (served by the app, no CDN); no inline scripts.
// A spec may carry a "narrow" variant (same data, a phone's layout): it is drawn when the figure is
// narrower than NARROW px, and the figure is redrawn when a resize crosses that width.
(function () {
  "use strict";
  var NARROW = 600;  // webapp/figures/charts.py NARROW
  var config = {responsive: true, displayModeBar: false, locale: document.documentElement.lang};

  function variant(el, spec) {
    return spec.narrow && el.clientWidth < NARROW ? spec.narrow : spec;
  }

  function draw() {
    document.querySelectorAll("[data-figure]").forEach(function (el) {
      var spec = JSON.parse(el.getAttribute("data-figure"));
      var shown = variant(el, spec);
      window.Plotly.newPlot(el, shown.data, shown.layout, config)
        .then(function () { el.setAttribute("data-drawn", "true"); });
      if (spec.narrow) {
        window.addEventListener("resize", function () {
          var wanted = variant(el, spec);
          if (wanted !== shown) {
            shown = wanted;
            window.Plotly.react(el, shown.data, shown.layout, config);
          }
        });
      }
    });
  }
  if (window.Plotly) { draw(); } else { window.addEventListener("load", draw); }
}());
