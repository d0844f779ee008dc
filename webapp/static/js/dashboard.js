// Draws every [data-figure] with plotly.js (served by the app, no CDN); no inline scripts.
(function () {
  "use strict";
  function draw() {
    document.querySelectorAll("[data-figure]").forEach(function (el) {
      var spec = JSON.parse(el.getAttribute("data-figure"));
      window.Plotly.newPlot(el, spec.data, spec.layout, {responsive: true, displayModeBar: false, locale: document.documentElement.lang})
        .then(function () { el.setAttribute("data-drawn", "true"); });
    });
  }
  if (window.Plotly) { draw(); } else { window.addEventListener("load", draw); }
}());
