// Import progress: polls the run's progress and moves the bar; reloads the page (the
// report) when the import has finished; says so when no worker has picked it up. Without JavaScript, the Refresh link does it.
(function () {
  "use strict";
  var box = document.querySelector("[data-import-progress]");
  if (!box || !window.fetch) return;
  var url = box.getAttribute("data-import-progress");
  var bar = box.querySelector("[data-import-bar]");
  var count = box.querySelector("[data-import-count]");
  var status = box.querySelector("[data-import-status]");
  var waiting = box.querySelector("[data-import-waiting]");
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.finished) { window.location.reload(); return; }
        if (data.total) { bar.max = data.total; bar.value = data.done; }
        count.textContent = data.done + " of " + (data.total || "?");
        status.textContent = data.label;
        waiting.hidden = !data.waiting;
        setTimeout(poll, 1500);
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
