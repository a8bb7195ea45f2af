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
