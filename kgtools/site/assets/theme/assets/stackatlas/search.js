/* Points Material's search at Stack Atlas's worker (search-worker.js, beside this file), which wraps Material's own
 * and fixes how Chinese queries are cut. Runs before Material's bundle, which reads #__config once at start. */
(function () {
  "use strict";
  var element = document.getElementById("__config");
  var script = document.currentScript;
  if (!element || !script) return;
  var config = JSON.parse(element.textContent);
  if (typeof config.search !== "string" || config.search.indexOf("search-worker.js") !== -1) return;
  var material = new URL(config.search, document.baseURI).href;
  var worker = new URL("search-worker.js", script.src);
  worker.searchParams.set("worker", material);
  config.search = worker.href;
  element.textContent = JSON.stringify(config);
})();
