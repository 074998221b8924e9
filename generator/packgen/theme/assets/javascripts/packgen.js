/*
 * packgen: small additions to the theme's pages once it has laid them out.
 * - A table too wide for the screen scrolls inside its box; keyboard readers
 *   must be able to reach that box to scroll it, so it takes the focus.
 * - A page opened from a search result (?h=words) marks the words typed
 *   however the page writes them (the theme marks exact matches only).
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

  function markTypedWords() {
    var fold = window.packgenFold;
    var typed = new URL(window.location.href).searchParams.get("h");
    var root = document.querySelector("article.md-content__inner");
    if (!fold || !typed || !root) {
      return;
    }
    var terms = typed.split(/[\s\-]+/).map(fold).filter(Boolean);
    if (!terms.length) {
      return;
    }
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var nodes = [];
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement.closest("mark, script, style, code, pre, .headerlink")) {
        nodes.push(node);
      }
    }
    nodes.forEach(function (text) {
      var found = false;
      var parts = text.textContent.split(/(\s+)/);
      var fragment = document.createDocumentFragment();
      parts.forEach(function (part) {
        var word = part.trim() ? fold(part) : "";
        var hit = word && terms.some(function (term) { return word.indexOf(term) === 0; });
        if (hit) {
          var mark = document.createElement("mark");
          mark.setAttribute("data-md-highlight", "");
          mark.textContent = part;
          fragment.appendChild(mark);
          found = true;
        } else {
          fragment.appendChild(document.createTextNode(part));
        }
      });
      if (found) {
        text.parentNode.replaceChild(fragment, text);
      }
    });
  }

  function onEveryPage() {
    reachableScrollBoxes();
    markTypedWords();
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { window.setTimeout(onEveryPage, 0); });
  } else {
    window.addEventListener("load", onEveryPage);
  }
  window.addEventListener("resize", reachableScrollBoxes);
})();
