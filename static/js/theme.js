// Colour scheme. Follows the system setting (prefers-color-scheme) until the reader
// picks one with the header's toggle; the choice is remembered in localStorage.
// Loaded in <head> without defer, so the first paint is already in the right scheme.
// Also marks <html class="js">, which the phone menu's no-JavaScript fallback keys on.
(function () {
  "use strict";
  var KEY = "commonplace-theme";
  var root = document.documentElement;
  var media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function stored() {
    try {
      var value = window.localStorage.getItem(KEY);
      return value === "dark" || value === "light" ? value : null;
    } catch (error) {
      return null;
    }
  }

  function apply() {
    var scheme = stored() || (media && media.matches ? "dark" : "light");
    root.setAttribute("data-bs-theme", scheme);
    var button = document.querySelector(".theme-toggle");
    if (button) button.setAttribute("aria-pressed", scheme === "dark" ? "true" : "false");
  }

  root.classList.add("js");
  apply();
  if (media && media.addEventListener) {
    media.addEventListener("change", function () {
      if (!stored()) apply();
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".theme-toggle");
    if (!button) return;
    button.hidden = false;
    apply();
    button.addEventListener("click", function () {
      var next = root.getAttribute("data-bs-theme") === "dark" ? "light" : "dark";
      try {
        window.localStorage.setItem(KEY, next);
      } catch (error) {
        /* private mode: the choice lasts for this page only */
      }
      apply();
    });
  });
})();
