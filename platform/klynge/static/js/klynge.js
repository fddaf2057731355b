/* Small helpers for every page. The pages work without this file. */
(function () {
  "use strict";
  // After a failed form, move focus to the error summary so that keyboard and screen reader
  // users land on the list of problems (each entry links to its field).
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
})();
