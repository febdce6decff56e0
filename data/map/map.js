// porchlight HTML map: draws the scene porchlight wrote (page coordinates, already
// projected) on a canvas. Every string from the data is shown with textContent, never
// parsed as HTML. No network: nothing is fetched, no font or image is loaded.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("porchlight-data").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var canvas = $("canvas"), ctx = canvas.getContext("2d");
  var tooltip = $("tooltip"), panel = $("panel"), panelBody = $("panel-body");
  var frame = { x: data.frame[0], y: data.frame[1], w: data.frame[2], h: data.frame[3] };
  var props = data.properties;
  var labelCol = props.indexOf(data.label_property);
  var timeCol = data.time_property ? props.indexOf(data.time_property) : -1;
  var features = data.features;
  var legend = data.legend.items;
  var view = { k: 1, tx: 0, ty: 0 }; // zoom and pan (CSS pixels)
  var base = { s: 1, ox: 0, oy: 0, w: 0, h: 0 };
  var state = { query: "", matches: null, time: Infinity, hover: -1, selected: -1, drawn: 0 };
  // --- read-only view for tests and embedding ---------------------------------------------------
  var api = {
    drawn: 0,
    features: features.length,
    // where feature i is drawn, in CSS pixels of the viewport
    screenPosition: function (i) {
      var r = canvas.getBoundingClientRect(), f = features[i], s = toScreen(f.x, f.y);
      return { x: r.left + s[0], y: r.top + s[1] };
    },
    // the centre of a state's or county's bounding box, in CSS pixels of the viewport
    areaPosition: function (key) {
      var r = canvas.getBoundingClientRect(), all = data.states.concat(data.counties);
      for (var i = 0; i < all.length; i++) if (all[i].key === key) {
        var b = all[i].bbox, s = toScreen((b[0] + b[2]) / 2, (b[1] + b[3]) / 2);
        return { x: r.left + s[0], y: r.top + s[1] };
      }
      return null;
    },
    // draws again and says how long it took, in milliseconds
    redraw: function () { var t = performance.now(); draw(); return performance.now() - t; },
    // the first feature whose label (name) contains text, or -1
    find: function (t) { for (var i = 0; i < features.length; i++) if (labelOf(i).indexOf(t) >= 0) return i; return -1; }
  };

  // --- text, always as text ----------------------------------------------------------
  function text(el, s) { el.textContent = s == null ? "" : String(s); return el; }
  function make(tag, s, cls) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (s != null) text(el, s);
    return el;
  }
  text($("title"), data.title);
  text($("date-line"), data.date_line);
  if (data.notice) { text($("notice"), data.notice); $("notice").hidden = false; }
  text($("footnote"), data.footnote);
  text($("credit"), data.credit);

  // --- paths, built once in page coordinates -----------------------------------------
  function toPath(rings) {
    var p = new Path2D();
    rings.forEach(function (r) {
      p.moveTo(r[0], r[1]);
      for (var i = 2; i < r.length; i += 2) p.lineTo(r[i], r[i + 1]);
      p.closePath();
    });
    return p;
  }
  function bboxOf(rings) {
    var b = [Infinity, Infinity, -Infinity, -Infinity];
    rings.forEach(function (r) {
      for (var i = 0; i < r.length; i += 2) {
        b[0] = Math.min(b[0], r[i]); b[1] = Math.min(b[1], r[i + 1]);
        b[2] = Math.max(b[2], r[i]); b[3] = Math.max(b[3], r[i + 1]);
      }
    });
    return b;
  }
  function prepareAreas(list) {
    list.forEach(function (a) { a.p2d = toPath(a.path); a.bbox = bboxOf(a.path); });
  }
  prepareAreas(data.states);
  prepareAreas(data.counties);
  features.forEach(function (f) {
    if (f.path) { f.p2d = toPath(f.path); f.bbox = bboxOf(f.path); }
    var words = [];
    f.p.forEach(function (v) { if (typeof v === "string") words.push(v.toLowerCase()); });
    f.search = words.join(" \u0001 ");
    f.day = timeCol >= 0 ? dayOf(f.p[timeCol]) : null;
  });

  // --- dates: YYYY, YYYY-MM or YYYY-MM-DD (the first day they can mean) -------------
  function dayOf(v) {
    if (typeof v !== "string") return null;
    var m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(v);
    if (!m) return null;
    return Date.UTC(+m[1], m[2] ? +m[2] - 1 : 0, m[3] ? +m[3] : 1) / 86400000;
  }
  function dayText(d) { return new Date(d * 86400000).toISOString().slice(0, 10); }

  // --- geometry between page, canvas and screen -------------------------------------
  function resize() {
    var w = canvas.parentElement.clientWidth;
    var h = Math.max(320, Math.round(w * frame.h / frame.w));
    var dpr = window.devicePixelRatio || 1;
    canvas.style.height = h + "px";
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    base.w = w; base.h = h;
    base.s = Math.min(w / frame.w, h / frame.h);
    base.ox = (w - frame.w * base.s) / 2;
    base.oy = (h - frame.h * base.s) / 2;
    draw();
  }
  function scale() { return base.s * view.k; }
  function toScreen(x, y) {
    return [base.ox + view.tx + (x - frame.x) * scale(), base.oy + view.ty + (y - frame.y) * scale()];
  }
  function toPage(sx, sy) {
    return [(sx - base.ox - view.tx) / scale() + frame.x, (sy - base.oy - view.ty) / scale() + frame.y];
  }
  function radius() { return data.radius * base.s * (1 + 0.35 * Math.log2(view.k)); }

  // --- drawing ------------------------------------------------------------------------
  function visible(f) { return f.day === null || f.day <= state.time; }
  function matched(i) { return !state.matches || state.matches.has(i); }
  function drawAreas(list, fill, line, width) {
    list.forEach(function (a) {
      if (fill && a.cls >= 0) { ctx.fillStyle = legend[a.cls].color; ctx.fill(a.p2d, "evenodd"); }
      ctx.strokeStyle = line; ctx.lineWidth = width / scale(); ctx.stroke(a.p2d);
    });
  }
  function drawMarks(part) {
    var r = radius() / scale(), drawn = 0;
    var byClass = legend.map(function () { return []; });
    features.forEach(function (f, i) { if (f.part === part && visible(f)) { byClass[f.cls].push(i); drawn++; } });
    byClass.forEach(function (list, cls) {
      var colour = legend[cls].color, dots = new Path2D(), faded = new Path2D(), rings = new Path2D(), anyDot = false;
      list.forEach(function (i) {
        var f = features[i];
        if (f.p2d) {
          ctx.globalAlpha = matched(i) ? 0.45 : 0.12; ctx.fillStyle = colour; ctx.fill(f.p2d, "evenodd");
          ctx.globalAlpha = 1; ctx.strokeStyle = colour; ctx.lineWidth = 0.8 / scale(); ctx.stroke(f.p2d);
          return;
        }
        var p = !matched(i) ? faded : f.approx ? rings : dots;
        p.moveTo(f.x + r, f.y); p.arc(f.x, f.y, r, 0, 2 * Math.PI); anyDot = true;
      });
      if (!anyDot) return;
      ctx.fillStyle = colour;
      ctx.globalAlpha = 0.15; ctx.fill(faded);
      ctx.globalAlpha = 0.9; ctx.fill(dots);
      ctx.globalAlpha = 1;
      if (features.length <= 5000) { ctx.strokeStyle = "#fff"; ctx.lineWidth = 0.5 / scale(); ctx.stroke(dots); }
      ctx.strokeStyle = colour; ctx.lineWidth = 1.2 / scale(); ctx.stroke(rings);
    });
    [state.selected, state.hover].forEach(function (i) {
      if (i < 0 || features[i].p2d || features[i].part !== part) return;
      var f = features[i];
      ctx.beginPath(); ctx.arc(f.x, f.y, r * 1.8, 0, 2 * Math.PI);
      ctx.strokeStyle = "#000"; ctx.lineWidth = 1.5 / scale(); ctx.stroke();
    });
    return drawn;
  }
  // the scale bar of the contiguous states (or the region), at the current zoom
  function drawScaleBar() {
    var b = data.scale_bar, dpr = window.devicePixelRatio || 1;
    if (!b.length) return;
    var metres = 100 * (b.metres / b.length) / scale(), nice = Math.pow(10, Math.floor(Math.log10(metres)));
    nice *= metres >= 5 * nice ? 5 : metres >= 2 * nice ? 2 : 1;
    var len = nice / (b.metres / b.length) * scale(), x = Math.round(base.w * 0.45), y = base.h - 14;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.strokeStyle = "#222"; ctx.lineWidth = 1.2;
    ctx.beginPath(); ctx.moveTo(x, y - 4); ctx.lineTo(x, y); ctx.lineTo(x + len, y); ctx.lineTo(x + len, y - 4); ctx.stroke();
    ctx.fillStyle = "#222"; ctx.font = "11px sans-serif"; ctx.textAlign = "center";
    ctx.fillText(nice >= 1000 ? nice / 1000 + " km" : nice + " m", x + len / 2, y - 7);
  }
  // the main map (part 0) or an inset (1 + its index)
  function drawPart(part) {
    var s = scale(), mine = function (a) { return a.part === part; };
    var states = data.states.filter(mine), counties = data.counties.filter(mine);
    ctx.fillStyle = "#f1efea";
    states.forEach(function (a) { ctx.fill(a.p2d, "evenodd"); });
    drawAreas(counties, data.choropleth === "county", "#d2cfc8", 0.35);
    drawAreas(states, data.choropleth === "state", "#8c8880", 0.7);
    states.concat(counties).forEach(function (a) {
      if (a.key === data.highlight) { ctx.strokeStyle = "#222"; ctx.lineWidth = 1.4 / s; ctx.stroke(a.p2d); }
    });
    return data.choropleth ? 0 : drawMarks(part);
  }
  function draw() {
    var dpr = window.devicePixelRatio || 1, s = scale();
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, base.w, base.h);
    ctx.setTransform(dpr * s, 0, 0, dpr * s, dpr * (base.ox + view.tx - frame.x * s),
                     dpr * (base.oy + view.ty - frame.y * s));
    var drawn = 0;
    for (var part = 0; part <= data.insets.length; part++) {
      ctx.save();
      var clip = new Path2D();
      if (part === 0) clip.rect(-1e6, -1e6, 2e6, 2e6);
      data.insets.forEach(function (b, i) { if (part === 0 || part === i + 1) clip.rect(b[0], b[1], b[2], b[3]); });
      ctx.clip(clip, "evenodd");
      drawn += drawPart(part);
      ctx.restore();
    }
    ctx.strokeStyle = "#b5b5b5"; ctx.lineWidth = 0.6 / s;
    data.insets.forEach(function (b) { ctx.strokeRect(b[0], b[1], b[2], b[3]); });
    state.drawn = data.choropleth ? data.states.concat(data.counties).filter(function (a) { return a.cls >= 0; }).length : drawn;
    drawScaleBar();
    canvas.setAttribute("data-drawn", String(state.drawn));
    api.drawn = state.drawn;
  }

  // --- legend -------------------------------------------------------------------------
  (function () {
    var box = $("legend");
    if (data.legend.title) box.appendChild(make("div", data.legend.title, "legend-title"));
    var round = !data.choropleth && !(features.length && features[0].p2d);
    legend.forEach(function (it) {
      var row = make("div");
      var sw = make("span", null, "swatch" + (round ? " round" : ""));
      sw.style.background = it.color;
      row.appendChild(sw);
      row.appendChild(document.createTextNode(data.choropleth ? it.label : it.label + " (" + it.count + ")"));
      box.appendChild(row);
    });
  })();

  // --- hit testing ----------------------------------------------------------------------
  function insideRings(rings, x, y) {
    var inside = false;
    rings.forEach(function (r) {
      for (var i = 0, j = r.length - 2; i < r.length; j = i, i += 2) {
        var xi = r[i], yi = r[i + 1], xj = r[j], yj = r[j + 1];
        if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) inside = !inside;
      }
    });
    return inside;
  }
  function inBox(b, x, y) { return x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3]; }
  // the feature (index) or area ({area}) under a screen point, or null
  function hit(sx, sy) {
    var p = toPage(sx, sy);
    if (data.choropleth) {
      var list = data.choropleth === "county" ? data.counties : data.states;
      for (var a = 0; a < list.length; a++)
        if (inBox(list[a].bbox, p[0], p[1]) && insideRings(list[a].path, p[0], p[1])) return { area: list[a] };
      return null;
    }
    var best = -1, bestD = Infinity, r = radius() + 4, part = 0;
    data.insets.forEach(function (b, k) { if (inBox([b[0], b[1], b[0] + b[2], b[1] + b[3]], p[0], p[1])) part = k + 1; });
    for (var i = 0; i < features.length; i++) {
      var f = features[i];
      if (!visible(f) || f.part !== part) continue;
      if (f.p2d) {
        if (inBox(f.bbox, p[0], p[1]) && insideRings(f.path, p[0], p[1])) { best = i; bestD = 0; }
        continue;
      }
      var s = toScreen(f.x, f.y), d = Math.hypot(s[0] - sx, s[1] - sy);
      if (d <= r && d < bestD) { best = i; bestD = d; }
    }
    return best < 0 ? null : { feature: best };
  }
  function labelOf(i) {
    var f = features[i], v = labelCol >= 0 ? f.p[labelCol] : null;
    return v == null || v === "" ? data.layer + " " + f.id : String(v);
  }
  // "Kansas: 2 partnerships", "Kansas: 0.0123 partnerships per 1,000 km²"
  function areaText(a) {
    var v = a.value, shown = Math.round(v) === v ? String(v) : v.toPrecision(3);
    return a.label + ": " + shown + " " + data.legend.title.replace(/ per (state|county)$/, "");
  }

  // --- tooltip and panel ------------------------------------------------------------------
  function showTooltip(h, sx, sy) {
    if (!h) { tooltip.hidden = true; return; }
    var t = h.area ? areaText(h.area) : labelOf(h.feature) + " \u00b7 " + legend[features[h.feature].cls].label;
    text(tooltip, t);
    tooltip.hidden = false;
    tooltip.style.left = Math.min(sx + 12, base.w - 200) + "px";
    tooltip.style.top = sy + 12 + "px";
  }
  function isUrl(s) { return /^https?:\/\/[^\s]+$/i.test(s); }
  function valueNode(name, v) {
    var s = String(v);
    if (name === "links" || isUrl(s)) {
      var ul = make("ul");
      s.split(/\s+/).filter(Boolean).forEach(function (u) {
        var li = make("li");
        if (isUrl(u)) {
          var a = make("a", u);
          a.setAttribute("href", u); a.setAttribute("rel", "noopener noreferrer"); a.setAttribute("target", "_blank");
          li.appendChild(a);
        } else text(li, u);
        ul.appendChild(li);
      });
      return ul;
    }
    if (name === "sources" && s.indexOf("; ") >= 0) {
      var list = make("ul");
      s.split("; ").forEach(function (part) { list.appendChild(make("li", part)); });
      return list;
    }
    return document.createTextNode(s);
  }
  function openPanel(h) {
    panelBody.replaceChildren();
    if (h.area) {
      panelBody.appendChild(make("h2", h.area.label));
      panelBody.appendChild(make("p", areaText(h.area)));
    } else {
      var f = features[h.feature];
      state.selected = h.feature;
      panelBody.appendChild(make("h2", labelOf(h.feature)));
      var dl = make("dl");
      props.forEach(function (name, c) {
        var v = f.p[c];
        if (v == null || v === "") return;
        dl.appendChild(make("dt", name));
        var dd = make("dd");
        dd.appendChild(valueNode(name, v));
        dl.appendChild(dd);
      });
      panelBody.appendChild(dl);
    }
    panel.hidden = false;
    draw();
  }
  $("panel-close").addEventListener("click", function () { panel.hidden = true; state.selected = -1; draw(); });

  // --- pan and zoom -------------------------------------------------------------------------
  var drag = null;
  function local(e) { var r = canvas.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; }
  canvas.addEventListener("wheel", function (e) {
    e.preventDefault();
    var p = local(e), k = Math.min(256, Math.max(1, view.k * Math.exp(-e.deltaY * 0.0015)));
    var f = k / view.k;
    view.tx = p[0] - base.ox - (p[0] - base.ox - view.tx) * f;
    view.ty = p[1] - base.oy - (p[1] - base.oy - view.ty) * f;
    view.k = k;
    draw();
  }, { passive: false });
  canvas.addEventListener("pointerdown", function (e) {
    var p = local(e);
    drag = { x: p[0], y: p[1], tx: view.tx, ty: view.ty, moved: false };
    canvas.classList.add("dragging");
  });
  window.addEventListener("pointerup", function (e) {
    if (!drag) return;
    var wasClick = !drag.moved;
    drag = null;
    canvas.classList.remove("dragging");
    if (wasClick && e.target === canvas) {
      var p = local(e), h = hit(p[0], p[1]);
      if (h) openPanel(h);
    }
  });
  canvas.addEventListener("pointermove", function (e) {
    var p = local(e);
    if (drag) {
      if (Math.hypot(p[0] - drag.x, p[1] - drag.y) > 3) drag.moved = true;
      if (drag.moved) {
        view.tx = drag.tx + p[0] - drag.x; view.ty = drag.ty + p[1] - drag.y;
        tooltip.hidden = true; draw();
        return;
      }
    }
    var h = hit(p[0], p[1]);
    var hover = h && h.feature !== undefined ? h.feature : -1;
    showTooltip(h, p[0], p[1]);
    if (hover !== state.hover) { state.hover = hover; draw(); }
  });
  canvas.addEventListener("pointerleave", function () { tooltip.hidden = true; });
  $("reset").addEventListener("click", function () { view.k = 1; view.tx = 0; view.ty = 0; draw(); });

  // --- search ----------------------------------------------------------------------------------
  function search(q) {
    state.query = q.trim().toLowerCase();
    if (!state.query) { state.matches = null; text($("search-count"), ""); draw(); return; }
    state.matches = new Set();
    features.forEach(function (f, i) { if (f.search.indexOf(state.query) >= 0) state.matches.add(i); });
    text($("search-count"), state.matches.size + (state.matches.size === 1 ? " match" : " matches"));
    draw();
  }
  function zoomTo(i) {
    var f = features[i];
    view.k = Math.max(view.k, 4);
    var s = scale();
    view.tx = base.w / 2 - base.ox - (f.x - frame.x) * s;
    view.ty = base.h / 2 - base.oy - (f.y - frame.y) * s;
    openPanel({ feature: i });
  }
  $("search").addEventListener("input", function (e) { search(e.target.value); });
  $("search").addEventListener("keydown", function (e) {
    if (e.key !== "Enter" || !state.matches || !state.matches.size) return;
    zoomTo(state.matches.values().next().value);
  });

  // --- time slider: features appear at their start date -------------------------------------
  var days = features.map(function (f) { return f.day; }).filter(function (d) { return d !== null; });
  var t0 = days.length ? Math.min.apply(null, days) : 0, t1 = days.length ? Math.max.apply(null, days) : 0;
  var undated = features.length - days.length, playing = null;
  function setTime(v) {
    $("time").value = String(v);
    state.time = v >= 1000 ? Infinity : t0 + (t1 - t0) * v / 1000;
    text($("time-label"), (v >= 1000 ? "all dates" : "up to " + dayText(Math.floor(state.time))) +
         (undated ? " (" + undated + " undated, always shown)" : ""));
    draw();
  }
  if (days.length > 1 && t1 > t0) {
    $("time-controls").hidden = false;
    $("time").addEventListener("input", function (e) { stop(); setTime(+e.target.value); });
    setTime(1000);
  }
  function stop() { if (playing) { clearInterval(playing); playing = null; text($("play"), "Play"); } }
  $("play").addEventListener("click", function () {
    if (playing) { stop(); return; }
    var v = +$("time").value >= 1000 ? 0 : +$("time").value;
    text($("play"), "Pause");
    playing = setInterval(function () {
      v = Math.min(1000, v + 8);
      setTime(v);
      if (v >= 1000) stop();
    }, 40);
  });

  Object.defineProperty(window, "porchlightMap", { value: api, writable: false });
  // the canvas follows its box (the window, the panel opening beside it)
  if (window.ResizeObserver) new ResizeObserver(function () { if (canvas.parentElement.clientWidth !== base.w) resize(); }).observe(canvas.parentElement);
  else window.addEventListener("resize", resize);
  resize();
  document.body.setAttribute("data-ready", "1");
})();
