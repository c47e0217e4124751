/* Stack Atlas search worker: Material's own worker, with every Chinese query cut into the index's characters first.
 *
 * The index holds one token per Han character (the search separator in mkdocs.yml splits before and after each;
 * see kgtools/site/plugin/search.py). Material cuts a run of Han characters in a query against the index itself,
 * joins the pieces with "* " and then appends its own "*": every
 * piece but the last becomes "流**", which matches, but Material's "missing term" check compares the index's terms
 * with "流*" and strikes the character through on every result ("缺少: 流"); and the run's last character is never
 * searched at all. Handed the characters one by one, Material leaves each alone: a run of Han characters becomes
 * one required term per character ("流处理" → "+流 +处 +理"), the way an English word is one term, so every
 * result holds every character typed and none is reported missing. Everything else is Material's.
 *
 * Material runs this file in place of its worker (assets/stackatlas/search.js points its configuration here, with
 * Material's worker as the `worker` parameter). Scripts Material's worker loads by relative path (its language
 * files, ../lunr/…) are resolved against Material's worker, as if it ran by itself. See docs/decisions/site-search.md.
 */
"use strict";

(function () {
  var QUERY = 2;                          // Material's SearchMessageType.QUERY
  var HAN_RUN = /([+-]?)(\p{sc=Han}+)/gu; // the runs Material would segment (its own character class)
  var INDEXED = /[\u4e00-\u9fa5]/u;       // the Han characters Material's index keeps (lunr.zh wordCharacters)

  /* One term per character; a character the index cannot hold stays optional so it cannot empty the results. */
  function characters(run, modifier, quoted) {
    return Array.from(run, function (c) {
      if (quoted) return c;               // Material itself makes every word inside quotes required
      return (modifier || (INDEXED.test(c) ? "+" : "")) + c;
    }).join(" ");
  }

  function rewrite(query) {
    return query.split(/("[^"]*")/).map(function (part) {
      var quoted = part.charAt(0) === '"' && part.length > 1 && part.charAt(part.length - 1) === '"';
      return part.replace(HAN_RUN, function (_, modifier, run) {
        return " " + characters(run, modifier, quoted) + " ";
      });
    }).join("").replace(/ {2,}/g, " ");
  }
  self.stackAtlasRewriteQuery = rewrite;  // for tests

  var own = new URL(self.location.href);
  var material = new URL(own.searchParams.get("worker") || "", own);
  if (material.origin !== own.origin || !/\.js$/.test(material.pathname))
    throw new Error("search-worker.js: the worker parameter must name Material's worker on this site");

  var load = self.importScripts.bind(self);
  self.importScripts = function () {
    return load.apply(self, Array.from(arguments, function (url) { return new URL(url, material).href; }));
  };
  var listen = self.addEventListener.bind(self);
  self.addEventListener = function (type, handler, options) {
    if (type !== "message") return listen(type, handler, options);
    return listen(type, function (event) {
      var message = event.data;
      if (message && message.type === QUERY && typeof message.data === "string")
        message = { type: QUERY, data: rewrite(message.data) };
      return handler({ data: message, origin: event.origin, ports: event.ports });
    }, options);
  };
  self.importScripts(material.href);
})();
