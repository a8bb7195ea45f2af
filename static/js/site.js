// Small site-wide enhancements. Every page works without this file.
(function () {
  "use strict";
  window.Commonplace = window.Commonplace || {};
  window.Commonplace.csrfToken = function () {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  };
})();

// Award colours: each award element carries its colour (validated #rrggbb on the
// server) in data-award-colour; set it as the --award-colour custom property here,
// through the CSSOM, because the Content-Security-Policy allows no style attributes.
// Without JavaScript the awards keep the site's gold.
(function () {
  "use strict";
  function paint(root) {
    root.querySelectorAll("[data-award-colour]").forEach(function (element) {
      var colour = element.getAttribute("data-award-colour");
      if (/^#[0-9a-fA-F]{6}$/.test(colour)) element.style.setProperty("--award-colour", colour);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { paint(document); });
  } else {
    paint(document);
  }
  window.Commonplace = window.Commonplace || {};
  window.Commonplace.paintAwards = paint;
})();

// The reader's own time zone, for due times shown "in your time" too (a cookie the
// server reads; without it, times show in the course's zone only).
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone || document.cookie.indexOf("tz=" + encodeURIComponent(zone)) !== -1) return;
  document.cookie =
    "tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; SameSite=Lax";
})();

// The phone menu: the button folds and unfolds the header's menu. Without this script
// the button stays hidden and the menu stays open (see .site-menu-toggle in main.css).
(function () {
  "use strict";
  var button = document.querySelector(".site-menu-toggle");
  var menu = document.getElementById("site-nav");
  if (!button || !menu) return;
  button.addEventListener("click", function () {
    var open = menu.classList.toggle("is-open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();

// Dismissible messages: the close button appears only when it can work.
(function () {
  "use strict";
  document.querySelectorAll("[data-dismiss=alert]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var alert = button.closest(".alert");
      if (alert) alert.remove();
    });
  });
})();

// Relative times ("6 minutes ago") computed in the browser from each
// <time datetime data-relative> element's exact datetime, so a page kept in a cache (or
// left open) never shows a drifted age. The server's text stays as the fallback without
// JavaScript; the element's title keeps the absolute time. Refreshed every minute.
(function () {
  "use strict";
  if (!window.Intl || !Intl.RelativeTimeFormat) return;
  var format = new Intl.RelativeTimeFormat(document.documentElement.lang || "en", {
    numeric: "auto",
  });
  var UNITS = [
    ["year", 365 * 24 * 3600],
    ["month", 30 * 24 * 3600],
    ["week", 7 * 24 * 3600],
    ["day", 24 * 3600],
    ["hour", 3600],
    ["minute", 60],
  ];

  function relative(seconds) {
    var ago = Math.abs(seconds);
    if (ago < 60) return seconds <= 0 ? "just now" : "in a moment";
    for (var i = 0; i < UNITS.length; i++) {
      if (ago >= UNITS[i][1]) {
        return format.format(Math.round(seconds / UNITS[i][1]), UNITS[i][0]);
      }
    }
    return "";
  }

  function update() {
    var now = Date.now();
    document.querySelectorAll("time[data-relative][datetime]").forEach(function (element) {
      var then = Date.parse(element.getAttribute("datetime"));
      if (isNaN(then)) return;
      if (!element.title) element.title = new Date(then).toLocaleString();
      element.textContent = relative((then - now) / 1000);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
  setInterval(update, 60 * 1000);
})();


// Embeds (blog/embeds.py): each is a link to the original, so without this script it
// is a plain link. Here it becomes a button that swaps in the provider's player, and
// nothing is asked of the provider before the reader asks (the placeholder's
// thumbnail is ours). Delegated, so the editor's live preview works too.
(function () {
  "use strict";
  var AUTOPLAY = /^https:\/\/(www\.youtube-nocookie\.com|player\.vimeo\.com)\//;
  function prepare(root) {
    root.querySelectorAll("a.embed__link[data-embed-player]").forEach(function (link) {
      link.setAttribute("role", "button");
    });
  }
  function play(link) {
    var src = link.getAttribute("data-embed-player");
    if (!/^https:\/\//.test(src)) return;
    if (AUTOPLAY.test(src)) src += (src.indexOf("?") === -1 ? "?" : "&") + "autoplay=1";
    var frame = document.createElement("iframe");
    frame.className = "embed__player";
    frame.src = src;
    frame.title = link.getAttribute("data-embed-title") || "Embedded player";
    frame.setAttribute("allow", "autoplay; encrypted-media; fullscreen; picture-in-picture");
    frame.setAttribute("allowfullscreen", "");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    var figure = link.closest(".embed");
    figure.classList.add("embed--playing");
    link.replaceWith(frame);
    frame.focus();
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.embed__link[data-embed-player]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button > 0) return;
    event.preventDefault();
    play(link);
  });
  document.addEventListener("keydown", function (event) {
    var link = event.target.closest && event.target.closest("a.embed__link[data-embed-player]");
    if (!link || event.key !== " ") return;  // Enter already clicks a link
    event.preventDefault();
    play(link);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { prepare(document); });
  } else {
    prepare(document);
  }
  window.Commonplace = window.Commonplace || {};
  window.Commonplace.prepareEmbeds = prepare;
})();
