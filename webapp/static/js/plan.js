// The course planner's pages: while the worker works out a plan, reload the page every couple of
// seconds until it is there (without JavaScript the page has a link to do so); and the print button.
(function () {
  "use strict";
  var waiting = document.querySelector("[data-reload]");
  if (waiting) {
    window.setTimeout(function () { window.location.reload(); },
                      parseInt(waiting.getAttribute("data-reload"), 10) || 2000);
  }
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
}());
