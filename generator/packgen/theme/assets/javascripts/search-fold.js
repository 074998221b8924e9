/*
 * packgen: forgiving search. Appended to the search worker after the build,
 * so it runs wherever the worker runs (a real Worker over http, the iframe
 * shim from disk), and loaded by every page (see packgen.js). Every token, of
 * the pages and of the query alike, is folded before lunr compares them:
 * accents and Arabic marks are optional, the hamza forms of alef, alef
 * maqsura and ya, ta marbuta and ha read alike, and a leading Arabic article
 * is dropped. Tokens keep their positions, so results still mark the words as
 * the page writes them.
 */
(function () {
  "use strict";
  // Combining accents (after NFD), Arabic harakat, shadda, sukun, superscript
  // alef, Quranic marks and tatweel.
  var MARKS = /[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/g;
  var EDGES = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;
  // French and Italian elision: l'équipe, d'équipe, qu'il are found as équipe, il.
  var ELISION = /^\p{L}{1,2}['\u2019](?=\p{L}{2})/u;
  // The article, alone or after a conjunction or preposition, when a word of
  // at least two letters remains.
  var ARTICLE = /^(?:[وفبك]?ال|لل)(?=[\u0621-\u064a]{2})/;

  function fold(text) {
    var folded = text
      .normalize("NFD")
      .replace(MARKS, "")
      .normalize("NFC")
      .replace(/[\u0622\u0623\u0625\u0671]/g, "\u0627")
      .replace(/\u0649/g, "\u064a")
      .replace(/\u0629/g, "\u0647")
      .replace(/\u0624/g, "\u0648")
      .replace(/\u0626/g, "\u064a")
      .replace(EDGES, "")
      .toLowerCase()
      .replace(ELISION, "");
    return folded.replace(ARTICLE, "");
  }

  // Pages use the same folding to mark, on the page a result leads to, the
  // words the reader typed however the page writes them.
  self.packgenFold = fold;
  var lunr = self.lunr;
  if (!lunr || lunr.packgenFold) {
    return;
  }

  function packgenFold(token) {
    var folded = token.update(fold);
    return folded.toString() ? folded : undefined;
  }
  lunr.Pipeline.registerFunction(packgenFold, "packgenFold");
  lunr.packgenFold = fold;

  // The search sets up its pipelines and then declares its fields, before it
  // adds any page: fold every page's words from that moment on.
  var field = lunr.Builder.prototype.field;
  lunr.Builder.prototype.field = function () {
    [this.pipeline, this.searchPipeline].forEach(function (pipeline) {
      if (pipeline._stack.indexOf(packgenFold) < 0) {
        pipeline._stack.unshift(packgenFold);
      }
    });
    return field.apply(this, arguments);
  };

  // Query terms with a wildcard (the search adds one to every word) skip the
  // pipeline, so fold each term as it becomes a clause, keeping its wildcards.
  var clause = lunr.Query.prototype.clause;
  lunr.Query.prototype.clause = function (spec) {
    if (spec && typeof spec.term === "string") {
      var parts = /^(\**)(.*?)(\**)$/.exec(spec.term);
      var middle = fold(parts[2]);
      if (middle) {
        spec.term = parts[1] + middle + parts[3];
      }
    }
    return clause.apply(this, arguments);
  };
})();
