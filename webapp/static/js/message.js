// A message the server put on the page (a form's errors, or a flash such as «Svarene dine er lagret»)
// is where the reader looks: focus moves to it on load, and it is scrolled into view if it is not in
// view already, so a screen reader reads it and nobody has to hunt for it 2 800 px away. The error
// summary first, then a flash, which moves next to the part of the page the address opens at, if any.
// A page without such a message is left alone, and once the reader scrolls, types, clicks or touches,
// the view and the focus are theirs: nothing here moves them again.
(function () {
  "use strict";
  var message = document.querySelector(".error-summary[role=alert]") ||
                document.querySelector(".flash[role=status], .flash[role=alert]");
  if (!message) { return; }
  var readerActed = false;
  var acts = ["wheel", "touchstart", "keydown", "mousedown", "pointerdown"];
  function acted() {
    readerActed = true;
    // A slow page opened at a part of it (…#leder_og_ansatte): the browser scrolls to that part when the
    // page has loaded, after the reader moved. Without the part in the address it leaves them where they are.
    if (window.location.hash && document.readyState !== "complete") {
      window.history.replaceState(window.history.state, "", window.location.pathname + window.location.search);
    }
    acts.forEach(function (name) { window.removeEventListener(name, acted, true); });
  }
  acts.forEach(function (name) { window.addEventListener(name, acted, {capture: true, passive: true}); });

  function inView(element) {
    var box = element.getBoundingClientRect();
    var height = window.innerHeight || document.documentElement.clientHeight;
    return box.top >= 0 && box.top < height && box.bottom <= height;
  }

  function show() {
    if (readerActed) { return; }
    // A flash on a page opened at a part of it (a redirect to «…#leder_og_ansatte»): shown at that part
    var target = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
    if (target && message.classList.contains("flash") && !target.contains(message) &&
        target.previousElementSibling !== message) {
      target.parentNode.insertBefore(message, target);
    }
    if (!message.hasAttribute("tabindex")) { message.setAttribute("tabindex", "-1"); }
    if (document.activeElement !== message) { message.focus({preventScroll: true}); }
    if (!inView(message)) { message.scrollIntoView({block: "center"}); }
  }
  // Now, and once more when the page has loaded: opening the page at a part of it (#plan-save) moves the
  // focus away from whatever had it, when the browser scrolls to that part during the load. The second
  // time only if the reader has done nothing since.
  show();
  window.addEventListener("load", function () { window.setTimeout(show, 0); });
}());
