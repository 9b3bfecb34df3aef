/* cidlib edit: editing on top of the interactive view (view.js, in the same scope). Every
   change goes to the local server, which applies it with cidlib's own model code, analyses
   the result and answers with the new picture, or refuses it with cidlib's message. */
(function () {
  const root = document.getElementById("cidlib-editor");
  const messageBox = root.querySelector(".ed-message");
  const status = root.querySelector(".ed-status");
  const addForm = root.querySelector(".ed-add-form");
  let state = { dirty: false, undo: false, redo: false, file: "" };
  let chain = Promise.resolve();
  let selectedEdge = null;
  let view = null;

  function h(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (attrs[k] !== null && attrs[k] !== undefined) node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function say(text, error) {
    messageBox.hidden = !text;
    messageBox.textContent = text ? (error ? "Refused: " : "") + text : "";
    messageBox.classList.toggle("ed-error", !!error);
  }

  function show(doc) {
    state = doc.state;
    status.textContent = state.file + (state.dirty ? ": unsaved changes" : ": saved");
    status.classList.toggle("ed-dirty", state.dirty);
    root.querySelector('[data-ed="undo"]').disabled = !state.undo;
    root.querySelector('[data-ed="redo"]').disabled = !state.redo;
    document.title = (state.dirty ? "* " : "") + state.file + " — cidlib editor";
  }

  async function request(method, path, body) {
    let response;
    try {
      response = await fetch(path, method === "GET" ? {} : {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body === undefined ? {} : body) });
    } catch (err) {
      say("the editor's server does not answer; is cidlib edit still running?", true);
      return null;
    }
    let doc;
    try { doc = await response.json(); } catch (err) {
      doc = { ok: false, error: "the server answered " + response.status };
    }
    if (!doc.ok) { say(doc.error, true); return null; }
    return doc;
  }

  function send(method, path, body, follow) {
    chain = chain.then(async function () {
      const doc = await request(method, path, body);
      if (!doc) return null;
      if (doc.svg !== undefined) {
        selectedEdge = null;
        view.replace(doc.data, [doc.svg], follow);
        hits();
        show(doc);
        say(doc.message || "");
      }
      return doc;
    });
    return chain;
  }

  function edit(body, follow) { return send("POST", "api/edit", body, follow); }

  async function save(force) {
    const doc = await send("POST", "api/save", { force: !!force });
    if (!doc && !force && /changed on disk/.test(messageBox.textContent) &&
        window.confirm(messageBox.textContent + "\n\nOverwrite the file?")) {
      await save(true);
    }
  }

  async function exportAs(format) {
    const decision = view.decision();
    const doc = await request("GET", "api/export?format=" + encodeURIComponent(format) +
      "&decision=" + encodeURIComponent(decision || "*"));
    if (!doc) return;
    const url = URL.createObjectURL(new Blob([doc.text], { type: "text/plain" }));
    const a = h("a", { href: url, download: doc.name });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 5000);
    say("exported " + doc.name);
  }

  // -- the pinned node's tools --------------------------------------------------------------

  function button(text, act, cls) {
    const b = h("button", { type: "button", text: text, class: cls || null });
    b.addEventListener("click", act);
    return b;
  }

  function form(label, fields, text, act) {
    const f = h("form", { "aria-label": label }, fields.concat([h("button", { type: "submit", text: text })]));
    f.addEventListener("submit", function (e) { e.preventDefault(); act(); });
    return f;
  }

  function adder(self, target, act) {
    // "with [other]: [self → other] [other → self]", the buttons naming the edge they add
    const out = h("button", { type: "button", "data-dir": "out" });
    const into = h("button", { type: "button", "data-dir": "in" });
    function names() {
      const other = target.options[target.selectedIndex].text;
      out.textContent = "add " + self + " → " + other;
      into.textContent = "add " + other + " → " + self;
    }
    target.addEventListener("change", names);
    names();
    out.addEventListener("click", function () { act(true); });
    into.addEventListener("click", function () { act(false); });
    return h("div", { class: "ed-adder", role: "group", "aria-label": "add an edge" },
             [h("label", { text: "Edge with " }, [target]), out, into]);
  }

  function tools(p, n, out) {
    const d = p.data, node = d.nodes[n], name = d.names[n];
    const rename = h("input", { value: node[1], "aria-label": "new name", required: "" });
    const label = h("input", { value: node[2] === node[1] ? "" : node[2], "aria-label": "label",
                               placeholder: "(none)" });
    const kind = h("select", { "aria-label": "kind" }, ["chance", "decision", "utility"].map(
      function (k) { return h("option", { value: k, text: k }); }));
    kind.value = node[3];
    const agent = h("input", { value: node[4] === null ? "" : node[4], "aria-label": "agent",
                               size: "6", placeholder: "agent" });
    const others = d.nodes.map(function (m, i) { return i; }).filter(function (i) { return i !== n; });
    const target = h("select", { "aria-label": "other node" }, others.map(function (i) {
      return h("option", { value: String(i), text: d.nodes[i][1] });
    }));
    const edges = h("ul", { class: "ed-edges" });
    p.parents[n].forEach(function (m) {
      edges.appendChild(h("li", {}, [h("span", { text: d.nodes[m][1] + " → " + node[1] }),
        button("remove", function () { edit({ op: "remove_edge", from: d.names[m], to: name }); })]));
    });
    p.children[n].forEach(function (m) {
      edges.appendChild(h("li", {}, [h("span", { text: node[1] + " → " + d.nodes[m][1] }),
        button("remove", function () { edit({ op: "remove_edge", from: name, to: d.names[m] }); })]));
    });
    const box = h("section", { class: "ed-node", "aria-label": "edit " + node[1] }, [
      h("h3", { text: "Edit " + node[1] }),
      form("rename", [h("label", { text: "Name " }, [rename])], "Rename", function () {
        edit({ op: "rename", node: name, to: rename.value }, rename.value);
      }),
      form("label", [h("label", { text: "Label " }, [label])], "Set label", function () {
        edit({ op: "label", node: name, label: label.value });
      }),
      form("kind", [h("label", { text: "Kind " }, [kind]), h("label", { text: "Agent " }, [agent])],
           "Apply", function () {
        edit({ op: "kind", node: name, kind: kind.value, agent: agent.value || null });
      }),
      h("h3", { text: "Edges" }), edges,
      others.length ? adder(node[1], target, function (out) {
        const other = d.names[+target.value];
        edit({ op: "add_edge", from: out ? name : other, to: out ? other : name });
      }) : null,
      h("p", {}, [button("Delete node " + node[1], function () {
        edit({ op: "remove_node", node: name });
      }, "ed-danger")]),
    ]);
    out.push(box);
  }

  // -- the mouse: move nodes, draw edges, pick edges -----------------------------------------

  function centre(p, n) {
    const xy = p.data.xy[n];
    return [(xy[0] - p.origin[0]) * p.scale, (p.origin[1] - xy[1]) * p.scale];
  }

  function nodeAt(p, x, y) {
    const hit = document.elementFromPoint(x, y);
    const g = hit && hit.closest ? hit.closest(".node") : null;
    if (!g || !p.svg.contains(g)) return null;
    const i = p.byId[g.getAttribute("data-node")];
    return i === undefined ? null : i;
  }

  function grab(p, n, e) {
    const g = document.getElementById(p.data.prefix + "node-" + p.data.nodes[n][0]);
    const start = view.toSvg(p, e.clientX, e.clientY);
    const linking = e.shiftKey;
    let moved = false, line = null, last = start;
    p.canvas.setPointerCapture(e.pointerId);
    function move(ev) {
      if (!moved && Math.abs(ev.clientX - e.clientX) + Math.abs(ev.clientY - e.clientY) < 4) return;
      moved = true;
      last = view.toSvg(p, ev.clientX, ev.clientY);
      if (linking) {
        const c = centre(p, n);
        if (!line) {
          line = document.createElementNS("http://www.w3.org/2000/svg", "line");
          line.setAttribute("class", "ed-link");
          p.svg.appendChild(line);
        }
        line.setAttribute("x1", c[0]); line.setAttribute("y1", c[1]);
        line.setAttribute("x2", last[0]); line.setAttribute("y2", last[1]);
      } else {
        g.classList.add("ed-moving");
        g.setAttribute("transform", "translate(" + (last[0] - start[0]) + " " + (last[1] - start[1]) + ")");
      }
    }
    function up(ev) {
      p.canvas.removeEventListener("pointermove", move);
      p.canvas.removeEventListener("pointerup", up);
      p.canvas.removeEventListener("pointercancel", up);
      if (p.canvas.hasPointerCapture(ev.pointerId)) p.canvas.releasePointerCapture(ev.pointerId);
      if (line) line.remove();
      if (!moved || ev.type === "pointercancel") {
        g.removeAttribute("transform");
        if (!moved) view.pin(p.i, n);
        return;
      }
      const d = p.data;
      if (linking) {
        const m = nodeAt(p, ev.clientX, ev.clientY);
        if (m !== null && m !== n) edit({ op: "add_edge", from: d.names[n], to: d.names[m] });
        return;
      }
      const dx = (last[0] - start[0]) / p.scale, dy = -(last[1] - start[1]) / p.scale;
      edit({ op: "move", positions: d.nodes.map(function (node, i) {
        const xy = d.xy[i];
        return [d.names[i], i === n ? xy[0] + dx : xy[0], i === n ? xy[1] + dy : xy[1]];
      }) }).then(function (doc) { if (!doc) g.removeAttribute("transform"); });
    }
    p.canvas.addEventListener("pointermove", move);
    p.canvas.addEventListener("pointerup", up);
    p.canvas.addEventListener("pointercancel", up);
    return true;
  }

  function hits() {
    // a wide transparent stroke under each edge, so that a thin edge is easy to click
    view.panels.forEach(function (p) {
      p.svg.querySelectorAll(".edge").forEach(function (g) {
        const line = g.querySelector(".line");
        if (!line) return;
        const hit = line.cloneNode(false);
        hit.setAttribute("class", "ed-hit");
        hit.removeAttribute("stroke-dasharray");
        g.insertBefore(hit, g.firstChild);
        g.addEventListener("click", function () { pick(p, g); });
      });
    });
  }

  function pick(p, g) {
    root.querySelectorAll(".edge.ed-selected").forEach(function (e) { e.classList.remove("ed-selected"); });
    const u = p.byId[g.getAttribute("data-from")], v = p.byId[g.getAttribute("data-to")];
    selectedEdge = [p.data.names[u], p.data.names[v]];
    g.classList.add("ed-selected");
    say("selected the edge " + p.data.nodes[u][1] + " → " + p.data.nodes[v][1] +
        "; Delete removes it");
  }

  // -- the keyboard, the tool bar and the add form -------------------------------------------

  document.addEventListener("keydown", function (e) {
    const typing = /^(INPUT|SELECT|TEXTAREA)$/.test((e.target && e.target.tagName) || "");
    const ctrl = e.ctrlKey || e.metaKey;
    const key = e.key.toLowerCase();
    if (ctrl && key === "s") { e.preventDefault(); save(); return; }
    if (typing) return;
    if (ctrl && key === "z" && !e.shiftKey) { e.preventDefault(); send("POST", "api/undo"); }
    else if (ctrl && (key === "y" || (key === "z" && e.shiftKey))) { e.preventDefault(); send("POST", "api/redo"); }
    else if ((e.key === "Delete" || e.key === "Backspace") && !ctrl) {
      if (selectedEdge) {
        e.preventDefault();
        edit({ op: "remove_edge", from: selectedEdge[0], to: selectedEdge[1] });
      } else if (view.pinned()) {
        e.preventDefault();
        const pin = view.pinned();
        edit({ op: "remove_node", node: view.panels[pin[0]].data.names[pin[1]] });
      }
    }
  });

  root.querySelectorAll("[data-ed]").forEach(function (b) {
    b.addEventListener("click", function () {
      const what = b.getAttribute("data-ed");
      if (what === "undo") send("POST", "api/undo");
      else if (what === "redo") send("POST", "api/redo");
      else if (what === "save") save();
      else if (what === "export") exportAs(b.getAttribute("data-format"));
    });
  });

  addForm.addEventListener("submit", function (e) {
    e.preventDefault();
    const p = view.panels[0];
    const body = { op: "add_node", name: addForm.elements.name.value,
                   kind: addForm.elements.kind.value };
    if (addForm.elements.agent.value) body.agent = addForm.elements.agent.value;
    if (p.data.positioned && p.data.nodes.length) {  // every node placed: put it in view
      const r = p.svg.getBoundingClientRect();
      body.at = view.layoutPoint(p, r.left + r.width / 2, r.top + r.height / 2);
    }
    edit(body, body.name).then(function (doc) { if (doc) addForm.reset(); });
  });

  window.addEventListener("beforeunload", function (e) {
    if (state.dirty) { e.preventDefault(); e.returnValue = ""; }
  });

  view = cidlibView(root, { standalone: true, grab: grab, tools: tools, stickyPin: true,
    hint: "Click a node to see its incentives and edit it; hover to preview. Click an " +
      "incentive to light its witness path." });
  hits();
  send("GET", "api/state");
}());
