/*
 * Stack Atlas queueing calculator: kgtools/models/queueing.py's M/M/c, computed in the browser.
 *
 * `erlangC`, `mmc`, `responseTail`, `responsePercentile` and `serversForPercentile`
 * below are a line-by-line port of erlang_c / mmc / mmc_response_tail /
 * Queue.response_percentile / servers_for_percentile (the same Erlang B
 * recursion, the same bisection with the same 200 steps), so the page and the
 * Python module give the same numbers; tests/test_site_models_browser.py checks
 * them against each other over a grid. Every string reaches the page through
 * textContent.
 */
(function () {
  "use strict";

  function erlangC(servers, offered) {
    var blocking = 1.0;
    for (var k = 1; k <= servers; k++) blocking = offered * blocking / (k + offered * blocking);
    var rho = offered / servers;
    return blocking / (1 - rho + rho * blocking);
  }

  function mmc(arrivalRate, serviceTime, servers) {
    if (!(arrivalRate > 0) || !(serviceTime > 0) || !(servers >= 1)) return { error: "input" };
    var rho = arrivalRate * serviceTime / servers;
    if (rho >= 1) return { error: "unstable", utilisation: rho };
    var offered = arrivalRate * serviceTime;
    var waiting = erlangC(servers, offered);
    var meanWait = waiting * serviceTime / (servers * (1 - rho));
    var response = meanWait + serviceTime;
    return { arrivalRate: arrivalRate, serviceTime: serviceTime, servers: servers, utilisation: rho,
             waitProbability: waiting, meanWait: meanWait, meanResponse: response,
             meanInSystem: arrivalRate * response };
  }

  function responseTail(q, t) {
    var mu = 1 / q.serviceTime, theta = q.servers * mu - q.arrivalRate, c = q.waitProbability;
    if (t <= 0) return 1.0;
    var noWait = Math.exp(-mu * t), both;
    if (Math.abs(theta - mu) <= 1e-9 * Math.max(Math.abs(theta), Math.abs(mu))) both = (1 + mu * t) * Math.exp(-mu * t);
    else both = (theta * Math.exp(-mu * t) - mu * Math.exp(-theta * t)) / (theta - mu);
    return (1 - c) * noWait + c * both;
  }

  function responsePercentile(q, p) {
    var low = 0.0, high = q.serviceTime;
    while (responseTail(q, high) > 1 - p) high *= 2;
    for (var i = 0; i < 200; i++) {
      var mid = (low + high) / 2;
      if (responseTail(q, mid) > 1 - p) low = mid; else high = mid;
    }
    return (low + high) / 2;
  }

  function serversForPercentile(arrivalRate, serviceTime, p, bound, maxUtilisation, limit) {
    maxUtilisation = maxUtilisation === undefined ? 1.0 : maxUtilisation;
    limit = limit || 10000;
    if (-Math.log(1 - p) * serviceTime > bound) return null;   // the service time alone already breaks the bound
    var first = Math.max(1, Math.floor(arrivalRate * serviceTime / Math.min(maxUtilisation, 1.0)));
    for (var servers = first; servers <= limit; servers++) {
      var q = mmc(arrivalRate, serviceTime, servers);
      if (q.error) continue;
      if (q.utilisation <= maxUtilisation && responsePercentile(q, p) <= bound) return servers;
    }
    return null;
  }

  window.stackAtlasQueueing = { erlangC: erlangC, mmc: mmc, responseTail: responseTail,
                                responsePercentile: responsePercentile, serversForPercentile: serversForPercentile };

  // -- the form ------------------------------------------------------------------------------------

  var form = document.getElementById("sa-queueing");
  if (!form) return;
  var text = JSON.parse(document.getElementById("sa-queueing-text").textContent);
  var out = document.getElementById("sa-queueing-result");
  var chart = document.getElementById("sa-queueing-chart");

  function value(name) { return parseFloat(form.elements[name].value); }
  function ms(seconds) { return (seconds * 1000).toFixed(1) + " ms"; }
  function pct(x) { return (x * 100).toFixed(1) + "%"; }

  function row(label, content) {
    var tr = document.createElement("tr");
    var th = document.createElement("th"); th.textContent = label;
    var td = document.createElement("td"); td.textContent = content;
    tr.appendChild(th); tr.appendChild(td);
    return tr;
  }

  function drawChart(serviceTime, servers, current) {
    while (chart.firstChild) chart.removeChild(chart.firstChild);
    var svgNS = "http://www.w3.org/2000/svg", width = 320, height = 180, pad = 36;
    var svg = document.createElementNS(svgNS, "svg");
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", text.chart);
    var capacity = servers / serviceTime, points = [], top = 0;
    for (var i = 1; i <= 19; i++) {
      var q = mmc(capacity * i / 20, serviceTime, servers);
      var p99 = responsePercentile(q, 0.99);
      points.push([i / 20, p99]);
      top = Math.max(top, p99);
    }
    function x(u) { return pad + (width - pad - 8) * u; }
    function y(v) { return height - pad + 8 - (height - pad) * v / top; }
    var line = document.createElementNS(svgNS, "polyline");
    line.setAttribute("points", points.map(function (pt) { return x(pt[0]).toFixed(1) + "," + y(pt[1]).toFixed(1); }).join(" "));
    line.setAttribute("fill", "none");
    line.setAttribute("stroke", "currentColor");
    line.setAttribute("stroke-width", "2");
    svg.appendChild(line);
    if (current && !current.error) {
      var dot = document.createElementNS(svgNS, "circle");
      dot.setAttribute("cx", x(current.utilisation).toFixed(1));
      dot.setAttribute("cy", y(Math.min(responsePercentile(current, 0.99), top)).toFixed(1));
      dot.setAttribute("r", "4");
      dot.setAttribute("class", "sa-queueing__now");
      svg.appendChild(dot);
    }
    [[text.axisLoad, width / 2, height - 4], [text.axisP99 + " " + ms(top), pad, 12]].forEach(function (t) {
      var label = document.createElementNS(svgNS, "text");
      label.setAttribute("x", t[1]); label.setAttribute("y", t[2]);
      label.setAttribute("font-size", "11");
      label.setAttribute("text-anchor", t[1] === pad ? "start" : "middle");
      label.textContent = t[0];
      svg.appendChild(label);
    });
    chart.appendChild(svg);
  }

  function update() {
    var arrival = value("arrival"), service = value("service") / 1000, servers = Math.round(value("servers"));
    var q = mmc(arrival, service, servers);
    while (out.firstChild) out.removeChild(out.firstChild);
    var table = document.createElement("table");
    if (q.error === "unstable") {
      out.textContent = text.unstable.replace("{u}", pct(q.utilisation));
      drawChart(service, servers, null);
      return;
    }
    if (q.error) { out.textContent = text.invalid; return; }
    table.appendChild(row(text.utilisation, pct(q.utilisation)));
    table.appendChild(row(text.waitProbability, pct(q.waitProbability)));
    table.appendChild(row(text.meanWait, ms(q.meanWait)));
    table.appendChild(row(text.meanResponse, ms(q.meanResponse)));
    [0.5, 0.95, 0.99].forEach(function (p) {
      table.appendChild(row("P" + Math.round(p * 100), ms(responsePercentile(q, p))));
    });
    table.appendChild(row(text.inSystem, q.meanInSystem.toFixed(2)));
    var bound = value("bound") / 1000;
    if (bound > 0) {
      var needed = serversForPercentile(arrival, service, 0.99, bound, 0.7);
      table.appendChild(row(text.needed, needed === null ? text.none : String(needed)));
    }
    out.appendChild(table);
    drawChart(service, servers, q);
  }

  form.addEventListener("input", update);
  update();
  form.setAttribute("data-ready", "true");
})();
