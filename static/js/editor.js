// The post editor: Markdown toolbar, live preview, image upload into the text.
// Without this file the editor still works (Preview and Insert image buttons post the form,
// and the server keeps a chosen featured image across that round trip: blog/pending.py).
(function () {
  "use strict";
  var form = document.querySelector(".post-editor");
  if (!form) return;
  var textarea = form.querySelector("textarea[name=body]");
  var toolbar = form.querySelector(".editor-toolbar");
  var preview = document.getElementById("editor-preview");
  var csrf = window.Commonplace.csrfToken;

  function surround(before, after, placeholder) {
    var start = textarea.selectionStart, end = textarea.selectionEnd;
    var selected = textarea.value.slice(start, end) || placeholder;
    textarea.setRangeText(before + selected + after, start, end, "end");
    textarea.setSelectionRange(start + before.length, start + before.length + selected.length);
    textarea.focus();
    textarea.dispatchEvent(new Event("input"));
  }

  function prefixLines(prefix, placeholder) {
    var start = textarea.selectionStart, end = textarea.selectionEnd;
    var lineStart = textarea.value.lastIndexOf("\n", start - 1) + 1;
    var selected = textarea.value.slice(lineStart, end) || placeholder;
    var replaced = selected.split("\n").map(function (line) { return prefix + line; }).join("\n");
    textarea.setRangeText(replaced, lineStart, end, "end");
    textarea.focus();
    textarea.dispatchEvent(new Event("input"));
  }

  function insertAtEnd(text) {
    textarea.value = textarea.value.replace(/\s*$/, "") + "\n\n" + text + "\n";
    textarea.focus();
    textarea.dispatchEvent(new Event("input"));
  }

  function addFootnote() {
    var used = (textarea.value.match(/\[\^(\d+)\]:/g) || []).length;
    var n = used + 1;
    var pos = textarea.selectionEnd;
    textarea.setRangeText("[^" + n + "]", pos, pos, "end");
    insertAtEnd("[^" + n + "]: Source: author, title, year, page.");
  }

  var actions = {
    bold: function () { surround("**", "**", "bold text"); },
    italic: function () { surround("*", "*", "italic text"); },
    heading: function () { prefixLines("## ", "Heading"); },
    quote: function () { prefixLines("> ", "Quoted words"); },
    link: function () { surround("[", "](https://)", "link text"); },
    list: function () { prefixLines("- ", "List item"); },
    image: function () { surround("![", "](https://)", "Describe the image"); },
    footnote: addFootnote
  };

  if (toolbar) {
    toolbar.hidden = false;
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("[data-md]");
      if (button && actions[button.dataset.md]) actions[button.dataset.md]();
    });
  }

  // Live preview, rendered by the server with the same function that stores posts.
  var timer = null, lastSent = null;
  function refreshPreview() {
    if (textarea.value === lastSent) return;
    lastSent = textarea.value;
    var data = new FormData();
    data.append("body", textarea.value);
    fetch(form.dataset.previewUrl, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "X-Requested-With": "fetch" }
    }).then(function (r) { return r.json(); }).then(function (json) {
      if (json.html !== undefined) preview.innerHTML = json.html || "<p class=\"text-body-secondary\">Your formatted post appears here.</p>";
      showProblems(json.problems || []);
      if (window.Commonplace && window.Commonplace.prepareEmbeds) window.Commonplace.prepareEmbeds(preview);
    }).catch(function () { /* the Preview button still works */ });
  }
  // What went wrong fetching an embed or an image from the web, in the server's words.
  var problems = document.getElementById("editor-preview-problems");
  function showProblems(list) {
    if (!problems) return;
    problems.replaceChildren.apply(problems, list.map(function (text) {
      var item = document.createElement("li");
      item.textContent = text;
      return item;
    }));
    problems.hidden = list.length === 0;
  }
  textarea.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refreshPreview, 400);
  });
  if (textarea.value) refreshPreview();

  // The Preview button previews here, without submitting the form: a chosen featured
  // image stays chosen (without JavaScript the server keeps it across the round trip).
  var previewButton = form.querySelector("button[name=action][value=preview]");
  if (previewButton) {
    previewButton.addEventListener("click", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      lastSent = null;
      refreshPreview();
      preview.scrollIntoView({ block: "nearest" });
    });
  }

  // Insert image: upload without leaving the page, then add its Markdown.
  var insertButton = form.querySelector("[data-insert-image]");
  var fileInput = form.querySelector("input[name=body_image]");
  if (insertButton && fileInput) {
    insertButton.addEventListener("click", function (event) {
      if (!fileInput.files.length) return; // let the server say "choose an image"
      event.preventDefault();
      var data = new FormData();
      data.append("image", fileInput.files[0]);
      insertButton.disabled = true;
      fetch(form.dataset.uploadUrl, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-CSRFToken": csrf(), "X-Requested-With": "fetch" }
      }).then(function (r) { return r.json(); }).then(function (json) {
        if (json.markdown) { insertAtEnd(json.markdown); fileInput.value = ""; }
        else alert(json.error || "The image could not be uploaded.");
      }).catch(function () { alert("The image could not be uploaded. Please try again."); })
        .finally(function () { insertButton.disabled = false; });
    });
  }
})();
