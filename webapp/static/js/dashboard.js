// Draws every [data-figure] with plotly.js (served by the app, no CDN); no inline scripts.
// A spec may carry a "narrow" variant (same data, a phone's layout): it is drawn when the figure is
// narrower than NARROW px, and the figure is redrawn when a resize crosses that width.
// A figure in a folded panel (a closed <details>) has no width yet: it is drawn when its panel opens.
// A link to a panel or a group of panels (the page's contents) opens what it points to.
(function () {
  "use strict";
  var NARROW = 600;  // webapp/figures/charts.py NARROW
  var config = {responsive: true, displayModeBar: false, locale: document.documentElement.lang};

  function variant(el, spec) {
    return spec.narrow && el.clientWidth < NARROW ? spec.narrow : spec;
  }

  function drawOne(el) {
    var spec = JSON.parse(el.getAttribute("data-figure"));
    var shown = variant(el, spec);
    el.setAttribute("data-started", "true");
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
  }

  // Every figure under `root` not drawn yet and not inside a closed <details>
  function drawIn(root) {
    root.querySelectorAll("[data-figure]:not([data-started])").forEach(function (el) {
      if (!el.closest("details:not([open])")) { drawOne(el); }
    });
  }

  // Open the panel (or every panel of the group) an in-page link points to, and the folds around it
  function reveal(id) {
    var target = id && document.getElementById(id);
    if (!target) { return; }
    target.querySelectorAll("details.fold").forEach(function (d) { d.open = true; });
    for (var up = target.closest("details"); up; up = up.parentElement.closest("details")) {
      up.open = true;
    }
  }

  function start() {
    drawIn(document);
    // "toggle" does not bubble: listen in the capture phase for every <details> that opens
    document.addEventListener("toggle", function (event) {
      if (event.target.open) { drawIn(event.target); }
    }, true);
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[href^='#']");
      if (link) { reveal(decodeURIComponent(link.getAttribute("href").slice(1))); }
    });
    window.addEventListener("hashchange", function () { reveal(decodeURIComponent(location.hash.slice(1))); });
    if (location.hash) {
      reveal(decodeURIComponent(location.hash.slice(1)));
      var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (target) { target.scrollIntoView(); }
    }
  }
  if (window.Plotly) { start(); } else { window.addEventListener("load", start); }
}());
