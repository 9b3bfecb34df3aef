/* cidlib's interactive view: incentives per node, witness paths, decisions, kinds, pan and
   zoom. No network, no dependency: everything it needs is in the page. The page embeds the
   diagrams as SVG (drawn by cidlib.to_svg's back-end) and their incentives as JSON (the
   report's form: witnesses as walks through a shared table of steps). */
"use strict";

function cidlibView(root, options) {
  options = options || {};
  const TRIVIAL = 1, GENERALISED = 2, UNDETERMINED = 4;
  let data = JSON.parse(root.querySelector("script.cv-data").textContent);
  const kinds = data.kinds;  // [key, abbreviation, title, colour]
  const colour = {}, abbreviation = {};
  kinds.forEach(function (k) { colour[k[0]] = k[3]; abbreviation[k[0]] = k[1]; });
  const info = root.querySelector(".cv-info");
  const select = root.querySelector(".cv-decision");
  const panels = [];
  const state = { decision: null, pinned: null, shown: null, lit: [] };

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === "text") node.textContent = attrs[k];
        else if (attrs[k] !== null && attrs[k] !== undefined) node.setAttribute(k, attrs[k]);
      });
    }
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  // -- panels: one diagram each (two for a comparison) -------------------------------------

  function index(p) {
    const d = p.data;
    p.byId = {};
    d.nodes.forEach(function (n, i) { p.byId[n[0]] = i; });
    p.parents = d.nodes.map(function () { return []; });
    p.children = d.nodes.map(function () { return []; });
    d.edges.forEach(function (e) { p.children[e[0]].push(e[1]); p.parents[e[1]].push(e[0]); });
    p.onNode = d.nodes.map(function () { return []; });
    d.incentives.forEach(function (inc, i) { p.onNode[inc[2]].push(i); });
  }

  function setUp(p) {
    const svg = p.canvas.querySelector("svg");
    p.svg = svg;
    const box = svg.viewBox.baseVal;
    p.base = [box.x, box.y, box.width, box.height];
    p.size = [svg.getAttribute("width"), svg.getAttribute("height")];
    p.scale = parseFloat(svg.getAttribute("data-scale"));
    p.origin = svg.getAttribute("data-origin").split(" ").map(parseFloat);
    svg.removeAttribute("width");
    svg.removeAttribute("height");
    // never more than 1.6 times its natural size (points are 4/3 pixels)
    svg.style.maxWidth = (parseFloat(p.size[0]) * 4 / 3 * 1.6).toFixed(0) + "px";
    svg.querySelectorAll(".node").forEach(function (g) {
      const n = p.byId[g.getAttribute("data-node")];
      const node = p.data.nodes[n];
      g.setAttribute("tabindex", "0");
      g.setAttribute("role", "button");
      g.setAttribute("aria-label", node[2] + " (" + node[3] + " node" +
        (node[2] === node[1] ? "" : ", " + node[1]) + "): show its incentives");
    });
    if (!p.box) p.box = p.base.slice();
    fitHeight(p);
    view(p, p.box);
  }

  function fitHeight(p) {
    const width = Math.min(p.canvas.clientWidth || 600, parseFloat(p.svg.style.maxWidth) || 1e9);
    const limit = Math.max(200, window.innerHeight * 0.72);
    const natural = width * p.base[3] / p.base[2];
    p.svg.style.height = Math.max(140, Math.min(natural, limit)) + "px";
  }

  function view(p, box) {
    p.box = box;
    p.svg.setAttribute("viewBox", box.map(function (v) { return v.toFixed(2); }).join(" "));
  }

  function toSvg(p, x, y) {
    const m = p.svg.getScreenCTM();
    if (!m) return [0, 0];
    const pt = p.svg.createSVGPoint();
    pt.x = x; pt.y = y;
    const q = pt.matrixTransform(m.inverse());
    return [q.x, q.y];
  }

  function zoom(p, factor, at) {
    const b = p.box;
    const c = at || [b[0] + b[2] / 2, b[1] + b[3] / 2];
    const w = Math.min(Math.max(b[2] / factor, p.base[2] / 40), p.base[2] * 8);
    const f = b[2] / w;
    view(p, [c[0] - (c[0] - b[0]) / f, c[1] - (c[1] - b[1]) / f, w, b[3] / f]);
  }

  function pan(p, dx, dy) {
    view(p, [p.box[0] + dx, p.box[1] + dy, p.box[2], p.box[3]]);
  }

  function nodeOf(p, target) {
    const hit = target && target.closest ? target.closest("[data-node]") : null;
    if (!hit || !p.svg.contains(hit)) return null;
    const n = p.byId[hit.getAttribute("data-node")];
    return n === undefined ? null : n;
  }

  function listen(p) {
    const canvas = p.canvas;
    let drag = null;
    canvas.addEventListener("pointerover", function (e) {
      const n = nodeOf(p, e.target);
      if (n !== null && !drag && !(options.stickyPin && state.pinned)) show(p.i, n);
    });
    canvas.addEventListener("pointerout", function (e) {
      const n = nodeOf(p, e.target);
      if (n !== null && nodeOf(p, e.relatedTarget) !== n && !drag &&
          !(options.stickyPin && state.pinned)) restore();
    });
    canvas.addEventListener("focusin", function (e) {
      const n = nodeOf(p, e.target);
      if (n !== null && !(options.stickyPin && state.pinned)) show(p.i, n);
    });
    canvas.addEventListener("keydown", function (e) {
      const n = nodeOf(p, e.target);
      if (n !== null && (e.key === "Enter" || e.key === " ")) {
        e.preventDefault();
        pin(p.i, n);
        // on to the node's incentives (Shift+Tab returns to the diagram)
        const first = info.querySelector("button, input, select");
        if (first && state.pinned) first.focus();
        return;
      }
      const step = p.box[2] / 10;
      const keys = {
        "+": function () { zoom(p, 1.25); }, "=": function () { zoom(p, 1.25); },
        "-": function () { zoom(p, 0.8); }, "0": function () { view(p, p.base.slice()); },
        ArrowLeft: function () { pan(p, -step, 0); }, ArrowRight: function () { pan(p, step, 0); },
        ArrowUp: function () { pan(p, 0, -step); }, ArrowDown: function () { pan(p, 0, step); },
      };
      if (keys[e.key] && !e.altKey && !e.ctrlKey && !e.metaKey) {
        e.preventDefault();
        keys[e.key]();
      }
    });
    canvas.addEventListener("wheel", function (e) {
      if (!(options.standalone || e.ctrlKey || e.metaKey)) return;
      e.preventDefault();
      zoom(p, Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0018)),
           toSvg(p, e.clientX, e.clientY));
    }, { passive: false });
    canvas.addEventListener("pointerdown", function (e) {
      if (e.button !== 0) return;
      const n = nodeOf(p, e.target);
      if (n !== null && options.grab && options.grab(p, n, e)) return;
      drag = { x: e.clientX, y: e.clientY, node: n, moved: false, box: p.box.slice() };
      canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener("pointermove", function (e) {
      if (!drag) return;
      if (Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y) > 3) drag.moved = true;
      if (!drag.moved) return;
      canvas.classList.add("cv-panning");
      const k = drag.box[2] / (p.svg.clientWidth || 1);
      const ratio = Math.max(k, drag.box[3] / (p.svg.clientHeight || 1));
      view(p, [drag.box[0] - (e.clientX - drag.x) * ratio, drag.box[1] - (e.clientY - drag.y) * ratio,
               drag.box[2], drag.box[3]]);
    });
    function end(e) {
      if (!drag) return;
      const was = drag;
      drag = null;
      canvas.classList.remove("cv-panning");
      if (canvas.hasPointerCapture(e.pointerId)) canvas.releasePointerCapture(e.pointerId);
      if (!was.moved && e.type === "pointerup") {
        if (was.node !== null) pin(p.i, was.node);
        else if (!options.keepOnBackground) unpin();
      }
    }
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
  }

  function panel(i, figure) {
    const p = { i: i, figure: figure, canvas: figure.querySelector(".cv-canvas"),
                data: data.panels[i], box: null };
    index(p);
    setUp(p);
    listen(p);
    return p;
  }

  // -- witnesses ----------------------------------------------------------------------------

  function witness(p, inc) {
    const edges = [], nodes = [];
    inc[4].forEach(function (walk) {
      let row = walk[0];
      let last = null;
      while (row !== null) {
        const step = p.data.steps[row];
        if (last !== null) edges.push(last[1] ? [last[0], step[0]] : [step[0], last[0]]);
        nodes.push(step[0]);
        last = step;
        row = step[2];
      }
    });
    return { edges: edges, nodes: nodes };
  }

  function edgeElement(p, u, v) {
    const ids = p.data.nodes;
    return document.getElementById(p.data.prefix + "edge-" + ids[u][0] + "-" + ids[v][0]);
  }

  function nodeElement(p, n) {
    return document.getElementById(p.data.prefix + "node-" + p.data.nodes[n][0]);
  }

  function unlight() {
    root.querySelectorAll(".cv-lit").forEach(function (e) {
      e.classList.remove("cv-lit");
      e.style.removeProperty("--cv-lit");
    });
    root.querySelectorAll(".cv-on-path").forEach(function (e) { e.classList.remove("cv-on-path"); });
    root.classList.remove("cv-dim");
    state.lit = [];
    markPressed();
  }

  function light(list) {
    unlight();
    list.forEach(function (pair) {
      const p = panels[pair[0]], inc = p.data.incentives[pair[1]];
      const w = witness(p, inc);
      w.edges.forEach(function (e) {
        const g = edgeElement(p, e[0], e[1]);
        if (g) { g.classList.add("cv-lit"); g.style.setProperty("--cv-lit", colour[inc[0]]); }
      });
      w.nodes.forEach(function (n) {
        const g = nodeElement(p, n);
        if (g) g.classList.add("cv-on-path");
      });
    });
    state.lit = list.slice();
    if (list.length) root.classList.add("cv-dim");
    markPressed();
  }

  function markPressed() {
    root.querySelectorAll(".cv-item > button").forEach(function (b) {
      const on = state.lit.length === 1 && state.lit[0][0] === +b.dataset.panel &&
        state.lit[0][1] === +b.dataset.incentive;
      b.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  function toggle(pi, i) {
    const on = state.lit.length === 1 && state.lit[0][0] === pi && state.lit[0][1] === i;
    if (on) unlight(); else light([[pi, i]]);
  }

  // -- what a node is subject to ------------------------------------------------------------

  function label(p, n) {
    const node = p.data.nodes[n];
    return node[2] === node[1] ? node[1] : node[2] + " (" + node[1] + ")";
  }

  function item(pi, i, list) {
    const p = panels[pi], inc = p.data.incentives[i];
    const flags = inc[3];
    const status = flags & UNDETERMINED ? "undetermined" : "present";
    const chip = el("span", { class: "cv-chip" + (flags & GENERALISED ? " generalised" : "") +
      (flags & UNDETERMINED ? " undetermined" : ""), style: "color:" + colour[inc[0]],
      text: abbreviation[inc[0]] + (flags & UNDETERMINED ? "?" : "") });
    const text = el("span", { text: inc[5] });
    if (flags & TRIVIAL) text.appendChild(el("span", { class: "cv-tag", text: "trivial" }));
    if (flags & GENERALISED) text.appendChild(el("span", { class: "cv-tag", text: "generalised" }));
    if (flags & UNDETERMINED) text.appendChild(el("span", { class: "cv-tag", text: "undetermined" }));
    const body = status === "present"
      ? el("button", { type: "button", "aria-pressed": "false", "data-panel": pi, "data-incentive": i,
                       title: "Show its witness path" }, [chip, text])
      : el("div", { class: "cv-static" }, [chip, text]);
    if (status === "present") body.addEventListener("click", function () { toggle(pi, i); });
    return el("li", {
      class: "cv-item " + inc[0] + (flags & TRIVIAL ? " trivial" : ""), "data-kind": inc[0],
      "data-decision": p.data.nodes[inc[1]][0], "data-node": p.data.nodes[inc[2]][0],
      "data-status": status, "data-list": list || null,
    }, [body]);
  }

  function names(p, list) {
    return list.map(function (n) { return p.data.nodes[n][1]; }).join(", ") || "none";
  }

  function render(pi, n) {
    const p = panels[pi], node = p.data.nodes[n];
    const out = [];
    const caption = panels.length > 1 ? " (" + p.data.caption + ")" : "";
    out.push(el("h2", { text: label(p, n) + caption }));
    const facts = node[3] + " node" + (node[4] !== null && node[3] !== "chance" ? " of agent " + node[4] : "");
    out.push(el("p", { class: "cv-kv", text: facts + " · parents: " + names(p, p.parents[n]) +
      " · children: " + names(p, p.children[n]) }));
    if (p.data.note) out.push(el("p", { class: "cv-note", text: p.data.note }));
    const groups = {};
    p.onNode[n].forEach(function (i) {
      const d = p.data.incentives[i][1];
      (groups[d] = groups[d] || []).push(i);
    });
    const shown = p.data.decisions.filter(function (d) {
      return state.decision === "*" || p.data.nodes[d][0] === state.decision;
    });
    if (p.data.analysed) {
      if (!shown.length) {
        out.push(el("p", { class: "cv-hint", text: state.decision === "*"
          ? "This design has no decision." : "This design does not have the decision chosen." }));
      }
      shown.forEach(function (d) {
        out.push(el("h3", { text: "Incentives of decision " + label(p, d) }));
        const items = (groups[d] || []).map(function (i) { return item(pi, i); });
        out.push(items.length ? el("ul", { class: "cv-list" }, items)
                               : el("p", { class: "cv-hint", text: "none" }));
      });
    }
    const pinned = state.pinned && state.pinned[0] === pi && state.pinned[1] === n;
    if (options.tools && pinned) options.tools(p, n, out);
    info.replaceChildren.apply(info, out);
    markPressed();
  }

  function hint() {
    const text = options.hint || "Hover over or click a node (or Tab to it) to list its incentives " +
      "with their explanations; click an incentive to light its witness path. Drag to pan; " +
      (options.standalone ? "scroll" : "Ctrl+scroll") + " or +/− to zoom; Esc clears.";
    info.replaceChildren(el("p", { class: "cv-hint", text: text }));
  }

  function focus(pi, n) {
    root.querySelectorAll(".node.cv-focus").forEach(function (g) { g.classList.remove("cv-focus"); });
    if (n !== null) {
      const g = nodeElement(panels[pi], n);
      if (g) g.classList.add("cv-focus");
    }
  }

  function show(pi, n) {
    state.shown = [pi, n];
    render(pi, n);
    focus(state.pinned ? state.pinned[0] : pi, state.pinned ? state.pinned[1] : n);
  }

  function restore() {
    if (state.pinned) show(state.pinned[0], state.pinned[1]);
    else { state.shown = null; focus(0, null); hint(); }
  }

  function pin(pi, n) {
    if (state.pinned && state.pinned[0] === pi && state.pinned[1] === n) { unpin(); return; }
    state.pinned = [pi, n];
    show(pi, n);
    if (options.onPin) options.onPin(panels[pi], n);
  }

  function unpin() {
    state.pinned = null;
    restore();
    if (options.onPin) options.onPin(null, null);
  }

  // -- the tool bar -------------------------------------------------------------------------

  function decisions() {
    const seen = {}, out = [];
    panels.forEach(function (p) {
      p.data.decisions.forEach(function (d) {
        const id = p.data.nodes[d][0];
        if (!seen[id]) { seen[id] = true; out.push([id, label(p, d)]); }
      });
    });
    return out;
  }

  function fillDecisions() {
    const analysed = panels.some(function (p) { return p.data.analysed; });
    const list = analysed ? decisions() : [];
    root.querySelector(".cv-kinds").hidden = !analysed;
    const several = panels.some(function (p) { return p.data.decisions.length > 1; });
    const choices = (several ? [["*", "all decisions (rings tagged)"]] : []).concat(list);
    if (!choices.some(function (c) { return c[0] === state.decision; })) {
      state.decision = choices.length ? choices[0][0] : "*";
    }
    select.replaceChildren.apply(select, choices.map(function (c) {
      return el("option", { value: c[0], text: c[1] });
    }));
    select.value = state.decision;
    select.disabled = choices.length < 2;
    select.closest(".cv-group").hidden = !list.length;
  }

  function chooseDecision(value) {
    state.decision = value;
    panels.forEach(function (p) {
      const groups = p.svg.querySelectorAll("g.rings");
      const own = p.data.decisions.map(function (d) { return p.data.nodes[d][0]; });
      let want = value;
      if (value !== "*" && own.length === 1 && own[0] === value) want = "*";
      groups.forEach(function (g) {
        const on = (g.getAttribute("data-for") || "*") === want;
        if (on) g.removeAttribute("display"); else g.setAttribute("display", "none");
      });
    });
    if (state.shown) render(state.shown[0], state.shown[1]);
    summary();
    if (options.onDecision) options.onDecision(value);
  }

  function toolbar() {
    const box = root.querySelector(".cv-kinds");
    kinds.forEach(function (k) {
      const input = el("input", { type: "checkbox", checked: "", value: k[0] });
      input.addEventListener("change", function () {
        root.classList.toggle("cv-hide-" + k[0], !input.checked);
      });
      box.appendChild(el("label", { class: "cv-kind", title: k[2] }, [
        input, el("span", { class: "cv-swatch", style: "color:" + k[3] }), el("span", { text: k[1] })]));
    });
    select.addEventListener("change", function () { chooseDecision(select.value); });
    root.querySelectorAll("[data-act]").forEach(function (b) {
      b.addEventListener("click", function () { act(b.getAttribute("data-act")); });
    });
  }

  function act(what) {
    const p = panels[state.pinned ? state.pinned[0] : 0];
    if (what === "zoom-in") panels.forEach(function (q) { zoom(q, 1.25); });
    else if (what === "zoom-out") panels.forEach(function (q) { zoom(q, 0.8); });
    else if (what === "fit") panels.forEach(function (q) { view(q, q.base.slice()); });
    else if (what === "svg") download(p, "svg");
    else if (what === "png") download(p, "png");
  }

  // -- downloads: what is shown, as a standalone picture ------------------------------------

  function picture(p) {
    const copy = p.svg.cloneNode(true);
    copy.setAttribute("viewBox", p.base.join(" "));
    copy.setAttribute("width", p.size[0]);
    copy.setAttribute("height", p.size[1]);
    copy.removeAttribute("style");
    copy.querySelectorAll("g.rings[display=none]").forEach(function (g) { g.remove(); });
    copy.querySelectorAll(".cv-lit").forEach(function (g) {
      const ink = g.style.getPropertyValue("--cv-lit");
      g.querySelectorAll(".line, .highlight").forEach(function (l) {
        l.setAttribute("stroke", ink); l.setAttribute("stroke-width", "3");
        l.removeAttribute("stroke-dasharray");
      });
      g.querySelectorAll(".head").forEach(function (h) { h.setAttribute("fill", ink); });
    });
    kinds.forEach(function (k) {
      if (root.classList.contains("cv-hide-" + k[0])) {
        copy.querySelectorAll("." + k[0]).forEach(function (r) { r.remove(); });
      }
    });
    copy.querySelectorAll("[tabindex]").forEach(function (g) {
      g.removeAttribute("tabindex"); g.removeAttribute("role"); g.removeAttribute("aria-label");
      g.removeAttribute("style");
    });
    copy.querySelectorAll("[class]").forEach(function (g) {
      const kept = g.getAttribute("class").split(" ").filter(function (c) { return c.indexOf("cv-") !== 0; });
      g.setAttribute("class", kept.join(" "));
    });
    return new XMLSerializer().serializeToString(copy);
  }

  function save(blob, name) {
    const url = URL.createObjectURL(blob);
    const a = el("a", { href: url, download: name });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 5000);
  }

  function download(p, format) {
    const text = picture(p);
    const name = (data.name || "diagram") + (panels.length > 1 ? "-" + p.data.caption.toLowerCase() : "");
    if (format === "svg") { save(new Blob([text], { type: "image/svg+xml" }), name + ".svg"); return; }
    const image = new Image();
    image.onload = function () {
      const k = 2;
      const canvas = el("canvas", { width: Math.ceil(p.base[2] * k * 4 / 3), height: Math.ceil(p.base[3] * k * 4 / 3) });
      const ctx = canvas.getContext("2d");
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
      canvas.toBlob(function (blob) { save(blob, name + ".png"); }, "image/png");
    };
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
  }

  // -- a comparison of two designs ----------------------------------------------------------

  function changes() {
    const box = root.querySelector(".cv-changes");
    if (!box || !data.change) return;
    const titles = { disappeared: "Disappeared", appeared: "Appeared", kept: "Kept",
                     undetermined: "Undetermined" };
    const out = [el("h2", { text: "What the change does" })];
    Object.keys(titles).forEach(function (key) {
      const list = data.change[key];
      const heading = el("h3", { text: titles[key] + " (" + list.length + ")" });
      const lightable = list.filter(function (pair) {
        return !(panels[pair[0]].data.incentives[pair[1]][3] & (TRIVIAL | UNDETERMINED));
      });
      if (lightable.length > 1) {
        const all = el("button", { type: "button", class: "cv-noprint", text: "light all" });
        all.addEventListener("click", function () { light(lightable); });
        heading.appendChild(all);
      }
      out.push(heading);
      out.push(list.length ? el("ul", { class: "cv-list" }, list.map(function (pair) {
        return item(pair[0], pair[1], key);
      })) : el("p", { class: "cv-hint", text: "none" }));
    });
    box.replaceChildren.apply(box, out);
    const start = [];
    ["disappeared", "appeared"].forEach(function (key) {
      data.change[key].forEach(function (pair) {
        const p = panels[pair[0]], inc = p.data.incentives[pair[1]];
        const d = p.data.nodes[inc[1]][0], n = p.data.nodes[inc[2]][0];
        p.svg.querySelectorAll("[id=\"" + p.data.prefix + "ring-" + inc[0] + "-" + d + "-" + n +
          "\"], [id=\"" + p.data.prefix + d + "-ring-" + inc[0] + "-" + d + "-" + n + "\"]")
          .forEach(function (r) { r.classList.add("cv-changed"); });
        if (!(inc[3] & TRIVIAL)) start.push(pair);
      });
    });
    light(start);
  }

  // -- every incentive, for reading and printing --------------------------------------------

  function summary() {
    const box = root.querySelector(".cv-summary > div");
    if (!box) return;
    box.parentNode.hidden = !panels.some(function (p) { return p.data.analysed; });
    const out = [];
    let count = 0;
    panels.forEach(function (p) {
      if (!p.data.analysed) return;
      p.data.decisions.forEach(function (d) {
        if (state.decision !== "*" && p.data.nodes[d][0] !== state.decision) return;
        const items = [];
        p.data.incentives.forEach(function (inc, i) {
          if (inc[1] === d && !(inc[3] & TRIVIAL)) items.push(item(p.i, i));
        });
        count += items.length;
        out.push(el("h3", { text: (panels.length > 1 ? p.data.caption + ": " : "") +
          "decision " + label(p, d) + " (" + items.length + ", trivial ones aside)" }));
        if (items.length) out.push(el("ul", { class: "cv-list" }, items));
      });
    });
    box.replaceChildren.apply(box, out);
    root.querySelector(".cv-summary > summary").textContent =
      "Every incentive (" + count + "), for reading and printing";
    markPressed();
  }

  // -- start --------------------------------------------------------------------------------

  root.querySelectorAll(".cv-panel").forEach(function (figure, i) { panels.push(panel(i, figure)); });
  toolbar();
  fillDecisions();
  root.classList.add("cv-live");
  root.querySelectorAll(".cv-live-only").forEach(function (e) { e.hidden = false; });
  panels.forEach(function (p) { fitHeight(p); });
  chooseDecision(state.decision);
  changes();
  hint();
  root.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { unlight(); unpin(); }
  });
  window.addEventListener("resize", function () { panels.forEach(fitHeight); });
  window.addEventListener("beforeprint", function () {
    const details = root.querySelector(".cv-summary");
    if (details) { state.wasOpen = details.open; details.open = true; }
    panels.forEach(function (p) { view(p, p.base.slice()); });
  });
  window.addEventListener("afterprint", function () {
    const details = root.querySelector(".cv-summary");
    if (details) details.open = !!state.wasOpen;
  });
  root.dataset.ready = "true";
  root.dataset.readyMs = performance.now().toFixed(0);  // since the page began to load

  return {
    panels: panels,
    data: function () { return data; },
    pinned: function () { return state.pinned; },
    decision: function () { return state.decision; },
    pin: pin,
    unpin: unpin,
    toSvg: toSvg,
    layoutPoint: function (p, x, y) {
      const q = toSvg(p, x, y);
      return [p.origin[0] + q[0] / p.scale, p.origin[1] - q[1] / p.scale];
    },
    replace: function (next, svgs, follow) {
      // The editor's new state: keep the view (in layout units) and the pinned node (or
      // pin ``follow``, the name it was given).
      const pinned = state.pinned ? panels[state.pinned[0]].data.nodes[state.pinned[1]][1] : null;
      const shown = follow !== undefined && follow !== null ? String(follow) : pinned;
      data = next;
      panels.forEach(function (p, i) {
        const b = p.box, o = p.origin, s = p.scale;
        const fitted = b.every(function (v, k) { return Math.abs(v - p.base[k]) < 0.01; });
        const corner = [o[0] + b[0] / s, o[1] - b[1] / s];
        p.data = data.panels[i];
        p.canvas.innerHTML = svgs[i];
        index(p);
        const svg = p.canvas.querySelector("svg");
        const no = svg.getAttribute("data-origin").split(" ").map(parseFloat);
        const ns = parseFloat(svg.getAttribute("data-scale"));
        // a view that showed everything still does; a zoomed one stays where it was
        p.box = fitted ? null : [(corner[0] - no[0]) * ns, (no[1] - corner[1]) * ns,
                                 b[2] * ns / s, b[3] * ns / s];
        setUp(p);
      });
      unlight();
      state.pinned = null;
      state.shown = null;
      fillDecisions();
      chooseDecision(state.decision);
      if (shown !== null) {
        const p = panels[0];
        const n = p.data.nodes.findIndex(function (node) { return node[1] === shown; });
        if (n >= 0) { state.pinned = [0, n]; show(0, n); return; }
      }
      hint();
    },
    refresh: function () { if (state.shown) render(state.shown[0], state.shown[1]); },
  };
}
