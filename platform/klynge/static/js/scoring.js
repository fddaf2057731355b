/* Scoring page: saves a need's answers as soon as they change (POST as JSON with the CSRF
   header) and updates the progress line. Also asks before a form marked data-confirm is sent
   (closing a round). Without JavaScript the Save button sends the whole form. */
(function () {
  "use strict";

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });

  var form = document.querySelector("form[data-scoring]");
  if (!form || !window.fetch) {
    return;
  }
  var url = form.getAttribute("data-save-url");
  var tokenInput = form.querySelector("input[name=_csrf_token]");
  var progress = document.querySelector("[data-progress]");
  var progressText = progress && progress.querySelector("[data-progress-text]");
  var saveState = progress && progress.querySelector("[data-save-state]");

  function answer(fieldset, need, criterion) {
    var checked = fieldset.querySelector("input[name='n" + need + "-" + criterion + "']:checked");
    return checked ? parseInt(checked.value, 10) : null;
  }

  function setState(text) {
    if (saveState && saveState.textContent !== text) {
      saveState.textContent = text;
    }
  }

  function save(fieldset) {
    var need = parseInt(fieldset.getAttribute("data-need"), 10);
    var comment = fieldset.querySelector("textarea");
    var body = {
      scores: [{
        need_id: need,
        nytte: answer(fieldset, need, "nytte"),
        alvorlighet: answer(fieldset, need, "alvorlighet"),
        ressurs: answer(fieldset, need, "ressurs"),
        comment: comment ? comment.value : ""
      }]
    };
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "x-csrftoken": tokenInput ? tokenInput.value : ""
      },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      return response.json();
    }).then(function (result) {
      if (progressText) {
        progressText.textContent = progress.getAttribute("data-template")
          .replace("{answered}", String(result.answered))
          .replace("{total}", String(result.total));
      }
      setState(" " + progress.getAttribute("data-saved"));
    }).catch(function () {
      setState(" " + progress.getAttribute("data-failed"));
    });
  }

  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset[data-need]");
    if (fieldset) {
      save(fieldset);
    }
  });
})();
