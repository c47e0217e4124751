/*
 * Stack Atlas cost calculator: kgtools/models/cost.py computed in the browser.
 *
 * `monthly`, `saving` and `assumes` are a line-by-line port of Option.monthly,
 * saving() and what_the_saving_assumes(); tests/test_site_browser.py compares
 * them with the Python module. Every string reaches the page through textContent.
 */
(function () {
  "use strict";

  function monthly(o) { return o.nodes * o.pricePerNode + (o.fixed || 0); }
  function saving(baseline, alternative) { return 1 - monthly(alternative) / monthly(baseline); }
  function assumes(baseline, alternative) {
    var nodeRatio = baseline.nodes ? alternative.nodes / baseline.nodes : Infinity;
    var priceRatio = baseline.pricePerNode ? alternative.pricePerNode / baseline.pricePerNode : Infinity;
    return { nodeRatio: nodeRatio, priceRatio: priceRatio, savingFromNodesAlone: 1 - nodeRatio,
             savingFromPriceAlone: 1 - priceRatio, saving: saving(baseline, alternative) };
  }
  window.stackAtlasCost = { monthly: monthly, saving: saving, assumes: assumes };

  var form = document.getElementById("sa-cost");
  if (!form) return;
  var text = JSON.parse(document.getElementById("sa-cost-text").textContent);
  var out = document.getElementById("sa-cost-result");
  function pct(x) { return (x * 100).toFixed(1) + "%"; }
  function usd(x) { return "USD " + Math.round(x).toLocaleString("en-US"); }

  function update() {
    var options = text.technologies.map(function (t) {
      return { name: t.label, nodes: parseFloat(form.elements["n-" + t.id].value),
               pricePerNode: parseFloat(form.elements["p-" + t.id].value) };
    });
    while (out.firstChild) out.removeChild(out.firstChild);
    if (options.some(function (o) { return !(o.nodes >= 0) || !(o.pricePerNode >= 0); })) {
      out.textContent = text.invalid;
      return;
    }
    var list = document.createElement("ul");
    options.forEach(function (o) {
      var li = document.createElement("li");
      li.textContent = o.name + ": " + usd(monthly(o)) + text.perMonth;
      list.appendChild(li);
    });
    out.appendChild(list);
    if (options.length === 2) {
      var sorted = options.slice().sort(function (a, b) { return monthly(b) - monthly(a); });
      var parts = assumes(sorted[0], sorted[1]);
      var p = document.createElement("p");
      p.className = "sa-cost__saving";
      p.textContent = text.saving.replace("{cheap}", sorted[1].name).replace("{costly}", sorted[0].name)
        .replace("{saving}", pct(parts.saving)).replace("{nodes}", parts.nodeRatio.toFixed(3))
        .replace("{price}", parts.priceRatio.toFixed(3)).replace("{fromNodes}", pct(parts.savingFromNodesAlone))
        .replace("{fromPrice}", pct(parts.savingFromPriceAlone));
      out.appendChild(p);
    }
  }
  form.addEventListener("input", update);
  update();
  form.setAttribute("data-ready", "true");
})();
