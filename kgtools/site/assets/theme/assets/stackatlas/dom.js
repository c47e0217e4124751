/*
 * Stack Atlas: the two DOM helpers every page script shares (graph.js, advisor.js, insights.js).
 *
 * `el` is the only way those scripts make elements, and it puts text in through
 * textContent, so record text never becomes markup. `fmt` fills `{name}` slots
 * in the interface strings the pages carry in both languages.
 */
(function () {
  "use strict";

  window.stackAtlasDom = {
    fmt: function (template, values) {
      return template.replace(/\{(\w+)\}/g, function (m, key) { return key in values ? String(values[key]) : m; });
    },
    el: function (tag, className, content) {
      var node = document.createElement(tag);
      if (className) node.className = className;
      if (content !== undefined) node.textContent = content;
      return node;
    }
  };
})();
