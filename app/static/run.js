// Live run page.
//
// Log: lines arrive over Server-Sent Events (the backlog in batches, then live lines;
// the browser resends the last event id on reconnect, so no line is lost). They are
// kept in an array and drawn once per animation frame into a window of the visible
// lines plus a margin: one text node, no per-line DOM node and no layout read per line,
// so a 50,000-line log costs the same to show as a 500-line one. "Download" has it all.
//
// State: every state event carries the run's sequence number. The action bar is
// re-read when an event is newer than what is shown, and a response older than what is
// shown is dropped, so the bar never goes backwards and no change is missed. The log is
// marked ended only after the final state is on screen.
(function () {
  "use strict";
  const log = document.getElementById("log");
  const panel = document.getElementById("run-panel");
  const review = document.getElementById("plan-review");
  const status = document.getElementById("log-status");
  if (!log || !panel) { return; }
  const spacer = log.querySelector(".log-spacer");
  const view = log.querySelector(".log-window");
  const counter = document.getElementById("log-count");
  const filterInput = document.getElementById("log-filter");
  const MARGIN = 400;            // lines drawn above and below the visible ones

  // --- log -----------------------------------------------------------------------------
  const lines = [];              // every line's text, in offset order
  let lastOffset = 0;            // highest offset received
  let matches = null;            // indices of lines matching the filter, or null
  let filterText = "";
  let following = true;          // keep the newest line in view
  let drawn = { start: -1, end: -1, total: -1 };
  let frame = 0;
  let lineHeight = 0;

  function measure() {
    const probe = document.createElement("pre");
    probe.className = "log-window";
    probe.textContent = "x\nx\nx\nx\nx\nx\nx\nx\nx\nx";
    probe.style.position = "absolute";
    probe.style.visibility = "hidden";
    log.appendChild(probe);
    lineHeight = probe.getBoundingClientRect().height / 10 || 16;
    log.removeChild(probe);
  }

  function shown() { return matches === null ? lines.length : matches.length; }
  function textAt(i) { return lines[matches === null ? i : matches[i]]; }

  function addLine(offset, text) {
    if (offset <= lastOffset) { return; }  // a duplicate after a reconnect
    lastOffset = offset;
    lines.push(text);
    if (matches !== null && text.indexOf(filterText) !== -1) { matches.push(lines.length - 1); }
    schedule();
  }

  function schedule() {
    if (!frame) { frame = window.requestAnimationFrame(draw); }
  }

  function draw() {
    frame = 0;
    if (!lineHeight) { measure(); }
    const total = shown();
    spacer.style.height = (total * lineHeight) + "px";
    if (following) { log.scrollTop = log.scrollHeight; }
    const first = Math.floor(log.scrollTop / lineHeight);
    const visible = Math.ceil(log.clientHeight / lineHeight) + 1;
    const start = Math.max(0, first - MARGIN);
    const end = Math.min(total, first + visible + MARGIN);
    if (start !== drawn.start || end !== drawn.end || total !== drawn.total) {
      const chunk = new Array(end - start);
      for (let i = start; i < end; i++) { chunk[i - start] = textAt(i); }
      view.textContent = chunk.join("\n");  // text, never HTML
      view.style.top = (start * lineHeight) + "px";
      drawn = { start: start, end: end, total: total };
    }
    counter.textContent = total === lines.length
      ? lines.length + " lines"
      : total + " of " + lines.length + " lines match";
    log.dataset.lines = String(lines.length);
  }

  log.addEventListener("scroll", function () {
    following = log.scrollTop + log.clientHeight >= log.scrollHeight - 2 * (lineHeight || 16);
    const first = Math.floor(log.scrollTop / (lineHeight || 16));
    if (first - MARGIN / 2 < drawn.start || first + MARGIN / 2 > drawn.end) { schedule(); }
  }, { passive: true });

  if (filterInput) {
    filterInput.addEventListener("input", function () {
      filterText = filterInput.value;
      matches = null;
      if (filterText) {
        matches = [];
        for (let i = 0; i < lines.length; i++) {
          if (lines[i].indexOf(filterText) !== -1) { matches.push(i); }
        }
      }
      following = true;
      drawn = { start: -1, end: -1, total: -1 };
      schedule();
    });
  }

  // --- action bar and plan review -----------------------------------------------------
  function bar() { return panel.querySelector("#action-bar"); }
  function shownSeq() { const b = bar(); return b ? Number(b.dataset.seq) : -1; }
  let wantedSeq = shownSeq();
  let fetching = null;
  let refreshTimer = 0;

  function fetchText(url) {
    return fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); });
  }

  // Re-read the bar (and the plan review once a plan exists) until what is shown is at
  // least as new as the newest event seen. Resolves when it is.
  function refresh() {
    if (fetching) { return fetching; }
    const hadPlan = bar() && bar().dataset.hasPlan === "true";
    fetching = fetchText(panel.dataset.panelUrl).then(function (html) {
      const box = document.createElement("div");
      box.innerHTML = html;
      const fresh = box.querySelector("#action-bar");
      const seq = fresh ? Number(fresh.dataset.seq) : -1;
      const needsReview = fresh && fresh.dataset.hasPlan === "true" && !hadPlan && review;
      const reviewed = needsReview ? fetchText(review.dataset.reviewUrl) : Promise.resolve(null);
      return reviewed.then(function (reviewHtml) {
        if (seq >= shownSeq()) {  // never replace a newer bar with an older one
          if (reviewHtml !== null) { review.innerHTML = reviewHtml; wireReview(); }
          panel.innerHTML = html;
          armTimer();
        }
        return seq;
      });
    }).then(function (seq) {
      fetching = null;
      if (seq < wantedSeq) { return refresh(); }
      return seq;
    }, function () {
      fetching = null;
      status.textContent = "(could not refresh the run state; retrying)";
      return new Promise(function (resolve) { setTimeout(resolve, 2000); }).then(refresh);
    });
    return fetching;
  }

  function onSeq(seq) {
    if (typeof seq === "number" && seq > wantedSeq) { wantedSeq = seq; }
    // A refresh in flight may still be about to show an older bar: wait for it too.
    if (wantedSeq > shownSeq() || fetching) { return refresh(); }
    return Promise.resolve(shownSeq());
  }

  // The bar offers "Force cancel" only after the grace period: re-read it then.
  function armTimer() {
    window.clearTimeout(refreshTimer);
    const b = bar();
    const at = b && b.dataset.refreshAt ? Number(b.dataset.refreshAt) * 1000 : 0;
    if (at) {
      refreshTimer = window.setTimeout(refresh, Math.max(0, at - Date.now()) + 250);
    }
  }

  // --- plan review: filters and the lazily loaded plan text ----------------------------
  function wireReview() {
    const form = document.getElementById("plan-filters");
    const resources = Array.prototype.slice.call(document.querySelectorAll("#plan-resources > details"));
    const count = document.getElementById("plan-filter-count");
    if (form) {
      const apply = function () {
        const actions = {};
        form.querySelectorAll("input[name=action]").forEach(function (box) { actions[box.value] = box.checked; });
        const select = form.querySelector("select[name=module]");
        const module = select ? select.value : "";
        let visible = 0;
        resources.forEach(function (el) {
          const show = actions[el.dataset.action] !== false && (!module || el.dataset.module === module);
          el.hidden = !show;
          if (show) { visible++; }
        });
        count.textContent = visible + " of " + resources.length + " resources";
      };
      form.addEventListener("submit", function (event) { event.preventDefault(); });
      form.addEventListener("change", apply);
      form.querySelectorAll("button[data-expand]").forEach(function (button) {
        button.addEventListener("click", function () {
          const open = button.dataset.expand === "open";
          resources.forEach(function (el) { if (!el.hidden) { el.open = open; } });
        });
      });
      apply();
    }
    const text = document.getElementById("plan-text");
    if (text) {
      text.addEventListener("toggle", function () {
        if (!text.open || text.dataset.loaded) { return; }
        text.dataset.loaded = "true";
        fetchText(text.dataset.textUrl).then(function (body) {
          document.getElementById("plan-text-body").textContent = body;
        }, function () { document.getElementById("plan-text-body").textContent = "(could not load the plan text)"; });
      });
    }
  }
  wireReview();
  armTimer();

  // --- the stream ----------------------------------------------------------------------
  if (!window.EventSource) { status.textContent = "(this browser cannot stream; reload to update)"; return; }
  const source = new EventSource(log.dataset.eventsUrl);
  source.addEventListener("open", function () { status.textContent = "(live)"; });
  source.addEventListener("logs", function (event) {
    const batch = JSON.parse(event.data).lines;
    for (let i = 0; i < batch.length; i++) { addLine(batch[i][0], batch[i][1]); }
  });
  source.addEventListener("log", function (event) {
    const data = JSON.parse(event.data);
    addLine(data.offset !== undefined ? data.offset : Number(event.lastEventId), data.text);
  });
  source.addEventListener("state", function (event) {
    const data = JSON.parse(event.data);
    log.dataset.state = data.state;
    log.dataset.backlog = "done";  // the server sends the state after the stored lines
    onSeq(data.seq);
  });
  source.addEventListener("cancel_requested", function (event) { onSeq(JSON.parse(event.data).seq); });
  source.addEventListener("end", function (event) {
    source.close();
    const data = JSON.parse(event.data);
    onSeq(data.seq).then(function () {
      status.textContent = "(finished: " + data.state + ")";
      log.dataset.state = data.state;
      log.dataset.ended = "true";  // only once the final state is shown
    });
  });
  source.addEventListener("error", function () {
    if (log.dataset.ended !== "true") { status.textContent = "(reconnecting…)"; }
  });
})();
