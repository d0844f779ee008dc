// Progressive enhancement for questionnaire pages: same-page skip logic, exclusive options and a
// submit button that cannot be clicked twice. The server enforces all of it without this script.
(function () {
  "use strict";
  var form = document.querySelector(".page-form");

  function answerOf(key) {
    var inputs = document.querySelectorAll('[name="' + key + '"]');
    var values = [];
    inputs.forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox")) {
        if (input.checked) { values.push(input.value); }
      } else if (input.value.trim() !== "") { values.push(input.value.trim()); }
    });
    return values;
  }

  function holds(el) {
    var values = answerOf(el.dataset.showIf);
    if (values.length === 0) { return false; }
    var listed = (el.dataset.values || "").split(" ").filter(Boolean);
    switch (el.dataset.op) {
      case "equals":
      case "in": return listed.indexOf(values[0]) !== -1;
      case "at_least": return Number(values[0]) >= Number(el.dataset.threshold);
      case "any_except": return values.some(function (v) { return listed.indexOf(v) === -1; });
      default: return true;
    }
  }

  function refresh() {
    document.querySelectorAll("[data-show-if]").forEach(function (el) { el.hidden = !holds(el); });
    // A multi-select with a maximum: once it is reached, the other boxes wait until one is unticked.
    document.querySelectorAll("fieldset[data-max]").forEach(function (set) {
      var boxes = set.querySelectorAll('input[type="checkbox"]');
      var ticked = set.querySelectorAll('input[type="checkbox"]:checked').length;
      boxes.forEach(function (box) { box.disabled = !box.checked && ticked >= Number(set.dataset.max); });
    });
  }

  if (form) {
    form.addEventListener("change", function (event) {
      var target = event.target;
      if (target.type === "checkbox" && target.checked) {
        var group = form.querySelectorAll('input[type="checkbox"][name="' + target.name + '"]');
        group.forEach(function (other) {
          if (other === target) { return; }
          if (target.hasAttribute("data-exclusive") || other.hasAttribute("data-exclusive")) { other.checked = false; }
        });
      }
      refresh();
    });
    refresh();
  }

  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  document.querySelectorAll("form").forEach(function (f) {
    f.addEventListener("submit", function () {
      var once = f.querySelector("[data-once]");
      if (once) { setTimeout(function () { once.disabled = true; }, 0); }
    });
  });
}());
