/* Job progress: polls the job's status route every second and updates the progress bar and
   the live region until the job is done or has failed. Without JavaScript the page has a
   "Refresh" link instead. Builds DOM with textContent only, never HTML from the server. */
(function () {
  "use strict";
  var box = document.querySelector("[data-job]");
  if (!box || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-status-url");
  var bar = box.querySelector("progress");
  var state = box.querySelector("[data-job-state]");
  var percent = box.querySelector("[data-job-percent]");
  var message = box.querySelector("[data-job-message]");
  var refresh = box.querySelector("[data-job-refresh]");
  var result = box.querySelector("[data-job-result]");
  var errors = box.querySelector("[data-job-errors]");
  var failures = 0;

  function label(status) {
    return box.getAttribute("data-label-" + status) || status;
  }

  function setText(node, text) {
    // Only touch the live region when something changed, so it is not read out every second.
    if (node && node.textContent !== text) {
      node.textContent = text;
    }
  }

  function sameSite(path) {
    return typeof path === "string" && path.charAt(0) === "/" && path.charAt(1) !== "/" &&
      path.indexOf("\\") === -1;
  }

  function showErrors(list) {
    if (!errors || !Array.isArray(list) || list.length === 0) {
      return;
    }
    var body = errors.querySelector("tbody");
    while (body.firstChild) {
      body.removeChild(body.firstChild);
    }
    list.forEach(function (error) {
      var row = document.createElement("tr");
      [
        error.row === undefined || error.row === null ? "" : String(error.row),
        error.column || error.field || "",
        error.reason || error.message || ""
      ].forEach(function (value) {
        var cell = document.createElement("td");
        cell.textContent = value;
        row.appendChild(cell);
      });
      body.appendChild(row);
    });
    errors.hidden = false;
  }

  function update(job) {
    bar.value = job.progress;
    bar.textContent = job.progress + " %";
    setText(state, label(job.status));
    setText(percent, String(job.progress));
    setText(message, job.message || "");
    box.setAttribute("data-status", job.status);
    if (job.status === "done") {
      if (result && sameSite(job.result_url)) {
        result.querySelector("a").setAttribute("href", job.result_url);
        result.hidden = false;
      }
      return true;
    }
    if (job.status === "failed") {
      showErrors(job.result && job.result.errors);
      return true;
    }
    return false;
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (job) {
        failures = 0;
        if (!update(job)) {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        // Keep the manual link visible and back off; give up after a few failures.
        failures += 1;
        if (refresh) {
          refresh.hidden = false;
        }
        if (failures < 5) {
          window.setTimeout(poll, 1000 * failures * 2);
        }
      });
  }

  var initial = box.getAttribute("data-status");
  if (initial !== "done" && initial !== "failed") {
    if (refresh) {
      refresh.hidden = true;
    }
    window.setTimeout(poll, 1000);
  }
})();
