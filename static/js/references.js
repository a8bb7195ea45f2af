// References page: move and remove without reloading the page. Without JavaScript the
// same forms post and come back to the list.
(function () {
  "use strict";
  var list = document.getElementById("references");
  if (!list || !window.fetch || !window.DOMParser) return;
  list.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches(".reference-editor__actions form")) return;
    event.preventDefault();
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("references");
        if (!fresh) throw new Error("no list");
        list.innerHTML = fresh.innerHTML;
        var status = document.getElementById("references-status");
        if (status) status.textContent = "The list is updated.";
      })
      .catch(function () { form.submit(); });
  });
})();
