/*
 * packgen: small fixes to the theme's pages once it has laid them out.
 * A table too wide for the screen scrolls inside its box; keyboard readers
 * must be able to reach that box to scroll it, so it takes the focus.
 */
(function () {
  "use strict";
  function reachableScrollBoxes() {
    var boxes = document.querySelectorAll(".md-typeset__scrollwrap, .md-typeset__table > table");
    Array.prototype.forEach.call(boxes, function (box) {
      if (box.scrollWidth > box.clientWidth + 1 && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
      }
    });
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { window.setTimeout(reachableScrollBoxes, 0); });
  } else {
    window.addEventListener("load", reachableScrollBoxes);
  }
  window.addEventListener("resize", reachableScrollBoxes);
})();
