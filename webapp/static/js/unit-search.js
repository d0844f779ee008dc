// The school search on a dashboard: as you type, only the schools whose name holds what you typed
// stay in the list. Without JavaScript the whole list is shown.
(function () {
  "use strict";
  document.querySelectorAll("input[data-filters]").forEach(function (input) {
    var table = document.getElementById(input.getAttribute("data-filters"));
    if (!table) { return; }
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    function filter() {
      var query = input.value.trim().toLowerCase();
      table.hidden = query === "" && rows.length > 12;
      rows.forEach(function (row) { row.hidden = query !== "" && row.getAttribute("data-name").indexOf(query) < 0; });
    }
    input.addEventListener("input", filter);
    filter();
  });
}());
