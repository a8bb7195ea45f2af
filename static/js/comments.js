// Comments and likes: enhancements only. Without this file every button is a plain
// form (POST, then back to the anchor) and every Reply link opens the reply page.
(function () {
  "use strict";

  function csrf() {
    return window.Commonplace && window.Commonplace.csrfToken ? window.Commonplace.csrfToken() : "";
  }

  // --- Likes: toggle in place ---
  // A Like is a button.like-button: a post's has its text in [data-like-text] beside its
  // icon; a comment's is its text alone (its heart is the stylesheet's). Its "Liked by"
  // line is the .liked-by in the same [data-likes] box: a <details> with a <summary>
  // and a <ul> of who liked for members, else a <p> (blog/likes.py, comments/markup.py).
  function updateLikes(button, data) {
    var box = button.closest("[data-likes]");
    button.name = "liked";  // an unpressed Like is drawn without it (a like by default)
    button.value = data.liked ? "0" : "1";
    button.setAttribute("aria-label", data.label);
    button.classList.toggle("is-liked", data.liked);
    var text = button.querySelector("[data-like-text]") || button;
    text.textContent = data.liked ? "Liked" : "Like";
    var line = box && box.querySelector(".liked-by");
    if (!line) {
      if (!box || !data.count) return;
      line = likedByLine(button, data);
    }
    line.hidden = !data.count;
    var summary = line.tagName === "DETAILS" ? line.querySelector(":scope > summary") : line;
    summary.textContent = data.liked_by;
    var list = line.querySelector(":scope > ul");
    // The server sends the list's items ready-made (blog.likes.likers_html, escaped there).
    if (list && data.likers_html !== null && data.likers_html !== undefined) {
      list.innerHTML = data.likers_html;
    }
  }

  // A comment nobody liked comes without a "Liked by" line (comments/markup.py): the
  // first like makes it after the button, as the server draws it, with the list of
  // who liked for members (the answer then carries likers_html).
  function likedByLine(button, data) {
    var line;
    if (data.likers_html !== null && data.likers_html !== undefined) {
      line = document.createElement("details");
      line.append(document.createElement("summary"), document.createElement("ul"));
    } else {
      line = document.createElement("p");
    }
    line.className = "liked-by";
    button.insertAdjacentElement("afterend", line);
    return line;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.like-button");
    if (!button || !window.fetch) return;
    event.preventDefault();
    if (button.getAttribute("aria-busy") === "true") return;
    button.setAttribute("aria-busy", "true");
    var body = new FormData();
    body.append("liked", button.value);
    fetch(button.getAttribute("formaction") || button.form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf() },
    })
      .then(function (response) {
        if (!response.ok) throw new Error("like failed: " + response.status);
        return response.json();
      })
      .then(function (data) { updateLikes(button, data); })
      .catch(function () { button.form && button.form.requestSubmit(button); })
      .finally(function () { button.removeAttribute("aria-busy"); });
  });

  // --- Who liked: a disclosure. Click (or Enter) toggles it; hovering changes nothing,
  // so a click never closes what a hover opened. A click elsewhere or Escape closes it.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.liked-by[open]").forEach(function (details) {
      if (!details.contains(event.target)) details.open = false;
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.liked-by[open]").forEach(function (details) {
      details.open = false;
      details.querySelector("summary").focus();
    });
  });

  // --- Reply inline: move the one reply form under the comment ---
  var respond = document.getElementById("respond");
  var form = respond && respond.querySelector("[data-comment-form]");
  if (!form) return;
  var home = document.createComment("respond");
  respond.parentNode.insertBefore(home, respond);
  var title = respond.querySelector("#respond-title");
  var titleText = title.textContent;
  var cancel = respond.querySelector("[data-cancel-reply]");
  var parentInput = form.querySelector("input[name=parent]");

  function closeReply(focusBack) {
    home.parentNode.insertBefore(respond, home.nextSibling);
    parentInput.value = "";
    title.textContent = titleText;
    cancel.hidden = true;
    respond.classList.remove("respond--inline");
    if (focusBack) focusBack.focus();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest('.comment > article > footer > a[href$="/reply/"]');
    if (!link) return;
    event.preventDefault();
    var item = link.closest(".comment");  // <li id="comment-<id>">
    var card = item.querySelector(":scope > article");
    card.parentNode.insertBefore(respond, card.nextSibling);
    parentInput.value = item.id.replace("comment-", "");
    title.textContent = "Reply to " + card.querySelector(":scope > header b").textContent;
    cancel.hidden = false;
    respond.classList.add("respond--inline");
    cancel.querySelector("a").onclick = function (e) { e.preventDefault(); closeReply(link); };
    form.querySelector("textarea").focus();
  });
})();
