// The header image's focal point on the course settings page. Clicking the picture sets
// the two percentages (the number inputs, which work without JavaScript and from the
// keyboard); the mark and the phone-shaped preview follow them.
(function () {
  "use strict";
  var box = document.querySelector("[data-focal]");
  var x = document.getElementById("id_header_focus_x");
  var y = document.getElementById("id_header_focus_y");
  if (!box || !x || !y) return;
  var image = box.querySelector(".focal__image");
  var mark = box.querySelector(".focal__mark");
  var phone = box.querySelector(".focal__phone");
  function percent(value) {
    var n = Math.round(Number(value));
    return isNaN(n) ? 50 : Math.min(100, Math.max(0, n));
  }
  function show() {
    var px = percent(x.value), py = percent(y.value);
    mark.hidden = false;
    mark.style.left = px + "%";
    mark.style.top = py + "%";
    phone.style.objectPosition = px + "% " + py + "%";
  }
  image.addEventListener("click", function (event) {
    var box = image.getBoundingClientRect();
    x.value = percent(((event.clientX - box.left) / box.width) * 100);
    y.value = percent(((event.clientY - box.top) / box.height) * 100);
    show();
  });
  x.addEventListener("input", show);
  y.addEventListener("input", show);
  show();
})();
