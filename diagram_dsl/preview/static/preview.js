// diagram-dsl preview: keeps the page in step with the server's event stream (no polling).
// Flow page: the drawing, its findings (listed and marked on the drawing), where each element is written.
// Index page: every flow's thumbnail and finding counts.
"use strict";

(function () {
  const state = JSON.parse(document.getElementById("state").textContent);
  const statusLine = document.getElementById("status");
  // Every applied update, for tests and benchmarks: {version, at} with `at` in epoch milliseconds.
  window.__dslUpdates = [];

  function setStatus(text, kind) {
    statusLine.textContent = text;
    statusLine.dataset.kind = kind || "";
  }

  function plural(count, word) {
    return `${count} ${word}${count === 1 ? "" : "s"}`;
  }

  function countsText(counts) {
    const parts = [];
    if (counts.error) parts.push(plural(counts.error, "error"));
    if (counts.warning) parts.push(plural(counts.warning, "warning"));
    if (counts.info) parts.push(plural(counts.info, "note"));
    return parts.length ? parts.join(", ") : "no findings";
  }

  function connect(url, eventName, apply) {
    let source = null;
    function open() {
      source = new EventSource(url());
      source.addEventListener(eventName, (event) => apply(JSON.parse(event.data)));
      source.onopen = () => setStatus("live", "live");
      source.onerror = () => setStatus("reconnecting…", "offline");
    }
    open();
    return { reopen() { source.close(); open(); } };
  }

  // -- index page ----------------------------------------------------------------------------------
  function badges(row) {
    const box = document.createElement("div");
    box.className = "badges";
    const add = (text, kind) => {
      const badge = document.createElement("span");
      badge.className = `badge ${kind}`;
      badge.textContent = text;
      box.appendChild(badge);
    };
    if (row.problem) add(row.problem === "deleted" ? "deleted" : "does not load", "error");
    if (row.counts.error) add(plural(row.counts.error, "error"), "error");
    if (row.counts.warning) add(plural(row.counts.warning, "warning"), "warning");
    if (!row.problem && !row.counts.error && !row.counts.warning) add("clean", "clean");
    return box;
  }

  function renderIndex(rows, generation) {
    const grid = document.getElementById("index");
    const cards = new Map([...grid.querySelectorAll(".card")].map((card) => [card.dataset.key, card]));
    const ordered = [];
    for (const row of rows) {
      let card = cards.get(row.key);
      if (!card) {
        card = document.createElement("a");
        card.className = "card";
        card.dataset.key = row.key;
        card.href = `/flow/${encodeURIComponent(row.key)}`;
        card.innerHTML = '<div class="thumb"><img alt="" loading="lazy"></div><div class="card-title"></div>' +
          '<div class="card-file"></div><div class="badges"></div>';
      }
      card.querySelector(".card-title").textContent = (row.number !== null ? `${row.number}. ` : "") + row.title;
      card.querySelector(".card-file").textContent = row.file;
      card.title = row.problem || countsText(row.counts);
      const img = card.querySelector("img");
      if (row.drawable && img.dataset.version !== String(row.version)) {
        img.src = `/flow/${encodeURIComponent(row.key)}/diagram.svg?v=${row.version}`;
        img.dataset.version = String(row.version);
      }
      card.classList.toggle("broken", Boolean(row.problem));
      card.replaceChild(badges(row), card.querySelector(".badges"));
      ordered.push(card);
    }
    grid.replaceChildren(...ordered);
    window.__dslUpdates.push({ version: generation, at: performance.timeOrigin + performance.now() });
  }

  if (state.page === "index") {
    let generation = state.generation;
    renderIndex(state.flows, generation);
    connect(() => `/events/index?since=${generation}`, "index", (update) => {
      generation = update.generation;
      renderIndex(update.flows, generation);
    });
    return;
  }

  // -- flow page -----------------------------------------------------------------------------------
  let flow = state.flow;
  let receivedAt = 0;  // when the last event arrived (epoch ms), for the benchmark's split of the time
  const drawing = document.getElementById("drawing");
  const findingsList = document.getElementById("findings");
  const summary = document.getElementById("summary");
  const problemBox = document.getElementById("problem");
  const tooltip = document.getElementById("tooltip");
  const toast = document.getElementById("toast");
  const rendererSelect = document.getElementById("renderer");
  const openerSelect = document.getElementById("opener");
  const zoomSelect = document.getElementById("zoom");
  openerSelect.value = localStorage.getItem("dsl-opener") || "vscode";
  openerSelect.addEventListener("change", () => localStorage.setItem("dsl-opener", openerSelect.value));
  zoomSelect.value = localStorage.getItem("dsl-zoom") || "fit";
  zoomSelect.addEventListener("change", () => {
    localStorage.setItem("dsl-zoom", zoomSelect.value);
    applyZoom();
  });

  // "fit": as wide as the pane allows (never above 125%); otherwise a fixed scale of the drawing's own size.
  function applyZoom() {
    const svg = drawing.querySelector("svg");
    if (!svg) return;
    const natural = (svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width) ||
      Number.parseFloat(svg.getAttribute("width")) || svg.getBoundingClientRect().width;
    const room = drawing.clientWidth - 36;
    const width = zoomSelect.value === "fit" ? Math.min(natural * 1.25, room) : natural * Number(zoomSelect.value);
    svg.style.width = `${Math.max(width, 50)}px`;
    svg.style.height = "auto";
  }
  window.addEventListener("resize", applyZoom);

  function absolutePath(file) {
    if (file === flow.file) return flow.path;
    const hit = flow.findings.find((finding) => finding.file === file);
    return hit ? hit.path : file;
  }

  function editorLink(path, line) {
    return `vscode://file${path.startsWith("/") ? "" : "/"}${encodeURI(path)}:${line}`;
  }

  function showToast(text) {
    toast.textContent = text;
    toast.hidden = false;
    clearTimeout(showToast.timer);
    showToast.timer = setTimeout(() => { toast.hidden = true; }, 2500);
  }

  async function copyText(text) {
    try {
      await navigator.clipboard.writeText(text);
    } catch (error) {
      const field = document.createElement("textarea");
      field.value = text;
      document.body.appendChild(field);
      field.select();
      document.execCommand("copy");
      field.remove();
    }
  }

  // Opens file:line in the editor, or copies it: what the "click opens" choice says.
  function openSource(file, line) {
    const where = `${file}:${line}`;
    window.__dslLastOpened = where;
    if (openerSelect.value === "copy") {
      copyText(where).then(() => showToast(`copied ${where}`));
    } else {
      showToast(`opening ${where} in VS Code`);
      window.location.href = editorLink(absolutePath(file), line);
    }
  }

  function findingsAt(file, line) {
    return flow.findings.filter((finding) => finding.file === file && finding.line === line);
  }

  function sourceLink(file, line) {
    const link = document.createElement("a");
    link.className = "where";
    link.href = editorLink(absolutePath(file), line);
    link.textContent = `${file}:${line}`;
    link.addEventListener("click", (event) => {
      event.preventDefault();
      openSource(file, line);
    });
    return link;
  }

  function renderFindings() {
    findingsList.replaceChildren();
    summary.textContent = `Findings: ${countsText(flow.counts)}`;
    for (const finding of flow.findings) {
      const item = document.createElement("li");
      item.className = `finding ${finding.severity}`;
      item.dataset.line = String(finding.line);
      item.dataset.code = finding.code;
      const head = document.createElement("div");
      head.className = "finding-head";
      const code = document.createElement("span");
      code.className = "code";
      code.textContent = `${finding.severity} ${finding.code}`;
      head.append(code, sourceLink(finding.file, finding.line));
      const text = document.createElement("div");
      text.className = "text";
      text.textContent = finding.text;
      item.append(head, text);
      item.addEventListener("mouseenter", () => highlight(finding.file, finding.line, true));
      item.addEventListener("mouseleave", () => highlight(finding.file, finding.line, false));
      findingsList.appendChild(item);
    }
  }

  function highlight(file, line, on) {
    for (const spot of drawing.querySelectorAll(`.dsl-spot[data-line="${line}"]`)) {
      if (spot.dataset.file === file) spot.classList.toggle("dsl-hover", on);
    }
  }

  function renderProblem() {
    const problem = flow.problem;
    problemBox.replaceChildren();
    problemBox.hidden = !problem && !flow.drawError && !flow.deleted;
    drawing.classList.toggle("stale", Boolean(problem || flow.deleted));
    if (problem) {
      const label = document.createElement("strong");
      label.textContent = "This flow does not load: ";
      const text = document.createElement("span");
      text.className = "problem-text";
      text.textContent = problem.text;
      const hint = document.createElement("span");
      hint.className = "problem-hint";
      hint.textContent = " — the drawing below is the last one that loaded; save a fix and it updates.";
      problemBox.append(label, sourceLink(problem.file, problem.line), document.createElement("br"), text, hint);
    } else if (flow.deleted) {
      problemBox.textContent = `${flow.file} was deleted or renamed; save it again to bring it back.`;
    } else if (flow.drawError) {
      problemBox.textContent = `Not drawn with ${flow.renderer}: ${flow.drawError}`;
    }
  }

  function renderFlow() {
    document.getElementById("title").textContent = flow.title;
    document.getElementById("file").textContent = flow.file;
    document.title = `${flow.title} — diagram-dsl preview`;
    if (flow.svg) {
      drawing.innerHTML = flow.svg;
      applyZoom();
      drawing.dataset.version = String(flow.version);
      drawing.dataset.renderer = flow.renderer;
    }
    renderProblem();
    renderFindings();
    const seconds = flow.seconds ? ` · loaded in ${Math.round(flow.seconds * 1000)} ms` : "";
    setStatus(`live · version ${flow.version}${seconds}`, "live");
    window.__dslUpdates.push({ version: flow.version, at: performance.timeOrigin + performance.now(),
      seconds: flow.seconds, noticedAt: flow.noticedAt, sentAt: flow.sentAt, receivedAt });
  }

  // Hovering a drawn element names its source line (and its findings); clicking opens it.
  drawing.addEventListener("pointerover", (event) => {
    const spot = event.target.closest && event.target.closest(".dsl-spot");
    if (!spot) { tooltip.hidden = true; return; }
    const file = spot.dataset.file;
    const line = Number(spot.dataset.line);
    tooltip.replaceChildren();
    const where = document.createElement("div");
    where.className = "tip-where";
    where.textContent = `${file}:${line}`;
    tooltip.appendChild(where);
    for (const finding of findingsAt(file, line)) {
      const row = document.createElement("div");
      row.className = `tip-finding ${finding.severity}`;
      row.textContent = `${finding.code} ${finding.text}`;
      tooltip.appendChild(row);
    }
    tooltip.hidden = false;
  });
  drawing.addEventListener("pointermove", (event) => {
    // Beside the pointer, flipped to its other side near the window's right or bottom edge.
    const box = tooltip.getBoundingClientRect();
    const left = event.clientX + 14 + box.width > window.innerWidth ? event.clientX - 14 - box.width : event.clientX + 14;
    const top = event.clientY + 14 + box.height > window.innerHeight ? event.clientY - 14 - box.height : event.clientY + 14;
    tooltip.style.left = `${Math.max(4, left)}px`;
    tooltip.style.top = `${Math.max(4, top)}px`;
  });
  drawing.addEventListener("pointerleave", () => { tooltip.hidden = true; });
  drawing.addEventListener("click", (event) => {
    const spot = event.target.closest && event.target.closest(".dsl-spot");
    if (spot) openSource(spot.dataset.file, Number(spot.dataset.line));
  });

  const events = connect(
    () => `/events/flow/${encodeURIComponent(flow.key)}?renderer=${rendererSelect.value}&since=${flow.version}`,
    "flow",
    (next) => { receivedAt = performance.timeOrigin + performance.now(); flow = next; renderFlow(); },
  );
  rendererSelect.addEventListener("change", () => {
    const url = new URL(window.location.href);
    url.searchParams.set("renderer", rendererSelect.value);
    history.replaceState(null, "", url);
    setStatus(`drawing with ${rendererSelect.value}…`, "busy");
    flow = { ...flow, version: -1 };
    events.reopen();
  });
  renderFlow();
})();
