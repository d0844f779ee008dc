// A message the server put on the page (a form's errors, or a flash such as «Svarene dine er lagret»)
// is where the reader looks: focus moves to it on load, which also scrolls it into view, so a screen
// reader reads it and nobody has to hunt for it 2 800 px away. The error summary first, then a flash,
// which moves next to the part of the page the address opens at, if any.
(function () {
  "use strict";
  function show() {
    var message = document.querySelector(".error-summary[role=alert]") ||
                  document.querySelector(".flash[role=status], .flash[role=alert]");
    if (!message) { return; }
    // A flash on a page opened at a part of it (a redirect to «…#leder_og_ansatte»): shown at that part
    var target = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
    if (target && message.classList.contains("flash") && !target.contains(message) &&
        target.previousElementSibling !== message) {
      target.parentNode.insertBefore(message, target);
    }
    if (!message.hasAttribute("tabindex")) { message.setAttribute("tabindex", "-1"); }
    message.focus({preventScroll: true});
    message.scrollIntoView({block: "center"});
  }
  // Now, and once more when the page has loaded: opening the page at a part of it (#plan-save) moves the
  // focus away from whatever had it, when the browser scrolls to that part during the load
  show();
  window.addEventListener("load", function () { window.setTimeout(show, 0); });
}());
