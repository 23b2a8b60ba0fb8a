/* civicgraph: draw a network whose data sits in a JSON script element with id "ID-data".

   The data holds every node of the picture ("nodes"), the units the page can close into
   one node ("groups", each with "cgChain": the groups holding it, itself last) and the
   ties between nodes ("edges"). Only what is visible goes into vis-network's DataSets: a
   node is visible when every group of its chain is open (or it is pinned), a group when
   its chain above it is open and itself closed. Ties are added up between what is
   visible. Tooltips arrive as HTML built from escaped strings; other text is set with
   textContent. Nothing is fetched: the page works offline. */
function cgDrawNetwork(id) {
  "use strict";
  var data = JSON.parse(document.getElementById(id + "-data").textContent);
  var page = data.page, T = page.text;
  var container = document.getElementById(id);
  var wrap = document.getElementById(id + "-wrap") || container.parentNode;
  var MIN_PX = 8, READ_PX = 10, DIM = "rgba(190,190,190,0.35)";
  var spec = {};
  data.nodes.forEach(function (n) { spec[n.id] = n; });
  data.groups.forEach(function (n) { spec[n.id] = n; });
  var kindLayer = {};
  Object.keys(page.layers).forEach(function (layer) {
    page.layers[layer].forEach(function (k) { kindLayer[k] = layer; });
  });
  var state = {
    open: new Set(page.open), layers: new Set(Object.keys(page.layers)),
    moneyAll: false, focus: null, district: "", role: ""
  };

  function asElement(html) {
    var el = document.createElement("div");
    el.className = "cg-tip";
    el.innerHTML = html;
    return el;
  }
  function textTip(lines) {
    var el = document.createElement("div");
    el.className = "cg-tip";
    lines.forEach(function (line, i) {
      if (i) el.appendChild(document.createElement("br"));
      var span = document.createElement(i ? "span" : "b");
      span.textContent = line;
      el.appendChild(span);
    });
    return el;
  }
  function fmt(x) { return Math.round(x).toLocaleString("en-US"); }

  /* what a node is seen as: itself, or the outermost closed group holding it */
  function repOf(s) {
    if (s.cgPinned) return s.id;
    var chain = s.cgChain || [];
    for (var i = 0; i < chain.length; i++) if (!state.open.has(chain[i])) return chain[i];
    return s.cgUnit ? null : s.id;  // an open group is not drawn: its unit is
  }
  function matches(s) {
    var cat = s.cgCat || "";
    var frame = cat.indexOf("group:") === 0 || ["province", "city", "district", "street",
      "community", "admin"].indexOf(cat) >= 0;
    if (state.role && !frame && cat !== state.role) return false;
    if (state.district) {
      if (s.cgDistrict) return s.cgDistrict === state.district;
      return ["province", "city", "group:province", "group:city"].indexOf(cat) >= 0;
    }
    return true;
  }
  function nodeItem(s) {
    if (s._tip === undefined) s._tip = asElement(s.title);
    return {
      id: s.id, label: s.label, title: s._tip, color: s.color, size: s.size,
      shape: s.shape, font: {size: s.font.size, color: "#222"},
      borderWidth: s.borderWidth || 1, x: s.x, y: s.y, hidden: !matches(s)
    };
  }

  var nodes = new vis.DataSet([]);
  var edges = new vis.DataSet([]);

  function visibleSpecs() {
    var out = [];
    data.nodes.forEach(function (s) { if (repOf(s) === s.id) out.push(s); });
    data.groups.forEach(function (s) { if (repOf(s) === s.id) out.push(s); });
    return out;
  }
  function edgeItems() {
    var agg = new Map();
    var rep = {};
    data.edges.forEach(function (e) {
      if (!state.layers.has(kindLayer[e.cgKind])) return;
      var a = rep[e.from] || (rep[e.from] = repOf(spec[e.from]));
      var b = rep[e.to] || (rep[e.to] = repOf(spec[e.to]));
      if (!a || !b || a === b) return;
      var key = a + "\u0001" + b + "\u0001" + e.cgKind;
      var x = agg.get(key);
      if (!x) agg.set(key, x = {id: key, from: a, to: b, kind: e.cgKind, count: 0, amount: 0, base: e});
      x.count += e.cgCount;
      x.amount += e.cgAmount;
    });
    var all = Array.from(agg.values());
    var money = all.filter(function (x) { return kindLayer[x.kind] === "money"; });
    money.sort(function (p, q) { return q.amount - p.amount; });
    var dropped = new Set(state.moneyAll ? [] : money.slice(page.moneyTop).map(function (x) { return x.id; }));
    var top = money.length ? Math.max(money[0].amount, 1) : 1;
    return all.filter(function (x) { return !dropped.has(x.id); }).map(function (x) {
      var width = x.count > 1 ? Math.min(1 + 1.5 * Math.log10(x.count), 6) : 1;
      if (kindLayer[x.kind] === "money") width = 1 + 6 * Math.sqrt(x.amount / top);
      var lines = [T["kind_" + x.kind], T.edge_count + ": " + fmt(x.count)];
      if (x.amount > 0) lines.push(T.amount + ": " + fmt(x.amount));
      var item = {
        id: x.id, from: x.from, to: x.to, width: width, dashes: x.base.dashes,
        color: {color: x.base.color.color, opacity: x.base.color.opacity},
        title: textTip(lines), cgKind: x.kind
      };
      if (x.base.arrows) item.arrows = x.base.arrows;
      return item;
    });
  }

  function render() {
    var want = visibleSpecs();
    var keep = new Set(want.map(function (s) { return s.id; }));
    nodes.remove(nodes.getIds().filter(function (i) { return !keep.has(i); }));
    var have = new Set(nodes.getIds());
    nodes.add(want.filter(function (s) { return !have.has(s.id); }).map(nodeItem));
    nodes.update(want.filter(function (s) { return have.has(s.id); }).map(function (s) {
      return {id: s.id, hidden: !matches(s)};
    }));
    edges.clear();
    edges.add(edgeItems());
    if (state.focus && !keep.has(state.focus)) state.focus = null;
    applyFocus();
    labels();
  }

  /* labels: by rank, each drawn only where it overlaps no label drawn before it, and only
     when it is at least MIN_PX high on screen */
  var measure = document.createElement("canvas").getContext("2d");
  function labelBox(s, pos, text) {
    measure.font = s.font.size + "px Arial, 'Noto Sans CJK SC', sans-serif";
    var lines = text.split("\n"), w = 0;
    lines.forEach(function (l) { w = Math.max(w, measure.measureText(l).width); });
    var half = Math.max(w / 2, s.size);
    return [pos.x - half, pos.y - s.size, pos.x + half, pos.y + s.size + 6 + lines.length * s.font.size * 1.2];
  }
  function labels() {
    var scale = network.getScale();
    var ids = nodes.getIds({filter: function (n) { return !n.hidden; }});
    var specs = ids.map(function (i) { return spec[i]; });
    specs.sort(function (a, b) { return (a.cgRank - b.cgRank) || (b.size - a.size); });
    var pos = network.getPositions(ids);
    var taken = [], updates = [];
    specs.forEach(function (s) {
      var text = s.label;
      var show = text && s.font.size * scale >= MIN_PX;
      if (show) {
        var box = labelBox(s, pos[s.id], text);
        show = !taken.some(function (t) {
          return box[0] < t[2] && t[0] < box[2] && box[1] < t[3] && t[1] < box[3];
        });
        if (show) taken.push(box);
      }
      var label = show ? text : "";
      if (nodes.get(s.id).label !== label) updates.push({id: s.id, label: label});
    });
    if (updates.length) nodes.update(updates);
  }

  /* focus: a clicked node and its neighbours stay, the rest is dimmed */
  function applyFocus() {
    var f = state.focus;
    var near = new Set(f ? network.getConnectedNodes(f).concat([f]) : []);
    nodes.update(nodes.getIds().map(function (i) {
      var on = !f || near.has(i);
      return {id: i, color: on ? spec[i].color : DIM, font: {size: spec[i].font.size, color: on ? "#222" : "#bbb"}};
    }));
    edges.update(edges.get().map(function (e) {
      var on = !f || e.from === f || e.to === f;
      return {id: e.id, color: {color: e.color.color, opacity: on ? 0.7 : 0.06}};
    }));
  }

  var first = visibleSpecs();
  nodes.add(first.map(nodeItem));
  edges.add(edgeItems());
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
  if (data.options.physics && data.options.physics.enabled !== false) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: false});
    });
  }

  function fit(ids) {  // like network.fit, with labels counted and without its 10% margin
    var pos = network.getPositions(ids), box = [Infinity, Infinity, -Infinity, -Infinity];
    ids.forEach(function (i) {
      var b = labelBox(spec[i], pos[i], spec[i].label || "");
      box = [Math.min(box[0], b[0]), Math.min(box[1], b[1]), Math.max(box[2], b[2]), Math.max(box[3], b[3])];
    });
    if (!ids.length) return;
    var w = container.clientWidth, h = container.clientHeight;
    var scale = Math.min(w / (box[2] - box[0] + 20), h / (box[3] - box[1] + 20), 1.5);
    network.moveTo({position: {x: (box[0] + box[2]) / 2, y: (box[1] + box[3]) / 2}, scale: scale, animation: false});
  }
  function shownIds() { return nodes.getIds({filter: function (n) { return !n.hidden; }}); }
  function home() {
    fit(shownIds());
    var keyFont = Infinity;  // the smallest label of a center, program or hub shown
    nodes.get({filter: function (n) { return !n.hidden; }}).forEach(function (n) {
      if (["center", "program", "hub"].indexOf(spec[n.id].cgCat) >= 0) keyFont = Math.min(keyFont, n.font.size);
    });
    if (keyFont === Infinity) keyFont = 0;
    var scale = network.getScale();
    if (keyFont && keyFont * scale < READ_PX) {  // a narrow screen: readable, not whole
      var top = nodes.get().sort(function (a, b) { return spec[a.id].cgRank - spec[b.id].cgRank; })[0];
      network.moveTo({position: network.getPosition(top.id), scale: READ_PX / keyFont, animation: false});
    }
    labels();
  }

  var timer = null;
  function later() {
    clearTimeout(timer);
    timer = setTimeout(labels, 120);
  }
  network.on("zoom", later);
  network.on("dragEnd", later);
  network.on("animationFinished", labels);
  network.on("resize", later);
  network.on("click", function (p) {
    state.focus = p.nodes.length ? p.nodes[0] : null;
    applyFocus();
  });
  /* a mouse double-click is the browser's dblclick; vis-network's double tap (which comes
     later, and for a mouse too) is used for touch and pens only; one gesture, one toggle */
  var lastToggle = -1e9;
  function toggleOnce(nodeId) {
    var now = performance.now();
    if (nodeId === undefined || now - lastToggle < 400) return;
    lastToggle = now;
    toggle(nodeId);
  }
  network.on("doubleClick", function (p) {
    if (!p.event || p.event.pointerType !== "mouse") toggleOnce(p.nodes[0]);
  });
  container.addEventListener("dblclick", function (e) {
    var r = container.getBoundingClientRect();
    toggleOnce(network.getNodeAt({x: e.clientX - r.left, y: e.clientY - r.top}));
  });

  function toggle(nodeId) {
    var s = spec[nodeId];
    if (!s) return false;
    if (s.cgUnit && !state.open.has(s.id)) state.open.add(s.id);
    else if (s.cgUnitOf && state.open.has(s.cgUnitOf)) state.open.delete(s.cgUnitOf);
    else return false;
    state.focus = null;
    var before = new Set(nodes.getIds());
    render();
    var fresh = nodes.getIds().filter(function (i) { return !before.has(i); });
    if (fresh.length && !inView(fresh)) { fit(shownIds()); labels(); }
    return true;
  }
  function inView(ids) {  // every one of ids inside the canvas
    var w = container.clientWidth, h = container.clientHeight, pos = network.getPositions(ids);
    return ids.every(function (i) {
      var p = network.canvasToDOM(pos[i]);
      return p.x >= 0 && p.y >= 0 && p.x <= w && p.y <= h;
    });
  }
  function reveal(s) {  // open every group above s (and s's own group when s is a unit)
    (s.cgChain || []).forEach(function (g) { if (g !== s.id) state.open.add(g); });
  }

  /* controls */
  function $(sel) { return wrap.querySelector(sel); }
  var status = $(".cg-status");
  var search = $(".cg-search");
  var list = document.getElementById(id + "-names");
  if (list) {
    var seen = new Set();
    data.nodes.concat(data.groups).forEach(function (s) {
      if (seen.has(s.cgName)) return;
      seen.add(s.cgName);
      var opt = document.createElement("option");
      opt.value = s.cgName;
      list.appendChild(opt);
    });
  }
  function find(text) {
    text = text.trim().toLowerCase();
    if (!text) return null;
    var all = data.nodes.concat(data.groups);
    var exact = all.filter(function (s) { return s.cgName.toLowerCase() === text; });
    var hits = exact.length ? exact : all.filter(function (s) { return s.cgName.toLowerCase().indexOf(text) >= 0; });
    if (!hits.length) return null;
    var shown = hits.filter(function (s) { return nodes.get(s.id); });
    return shown[0] || hits.filter(function (s) { return !s.cgUnit; })[0] || hits[0];
  }
  function goTo(s) {
    if (!nodes.get(s.id)) { reveal(s); render(); }
    var target = nodes.get(s.id) ? s.id : repOf(s);
    state.focus = target;
    applyFocus();
    network.selectNodes([target]);
    network.focus(target, {scale: Math.max(network.getScale(), 1), animation: false});
    labels();
  }
  if (search) search.addEventListener("change", function () {
    var s = find(search.value);
    if (status) status.textContent = s || !search.value ? "" : T.net_not_found;
    if (s) goTo(s);
  });
  var district = $(".cg-district");
  if (district) district.addEventListener("change", function () {
    state.district = district.value;
    var g = spec["\u2295" + state.district];
    if (g) { reveal(g); state.open.add(g.id); }
    render();
    fit(shownIds());
    labels();
  });
  var role = $(".cg-role");
  if (role) role.addEventListener("change", function () { state.role = role.value; render(); });
  wrap.querySelectorAll(".cg-layer").forEach(function (box) {
    box.addEventListener("change", function () {
      if (box.checked) state.layers.add(box.value); else state.layers.delete(box.value);
      render();
    });
  });
  var moneyAll = $(".cg-money-all");
  if (moneyAll) moneyAll.addEventListener("change", function () { state.moneyAll = moneyAll.checked; render(); });
  var reset = $(".cg-reset");
  if (reset) reset.addEventListener("click", function () {
    state.open = new Set(page.open);
    state.focus = null; state.district = ""; state.role = "";
    if (district) district.value = "";
    if (role) role.value = "";
    render();
    home();
  });

  home();
  network.once("afterDrawing", function () {
    container.setAttribute("data-ready-ms", String(Math.round(performance.now())));
  });
  container.cgNetwork = network;
  container.cgView = {
    network: network, nodes: nodes, edges: edges, spec: spec, state: state,
    render: render, toggle: toggle, labels: labels, home: home, find: find, goTo: goTo
  };
  return network;
}
