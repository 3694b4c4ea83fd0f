// Live run page: stream the log over Server-Sent Events (the browser resends the last
// event id on reconnect, so no line is lost) and refresh the state/summary panel in
// place when the run changes state. No page reloads.
(function () {
  "use strict";
  const log = document.getElementById("log");
  const panel = document.getElementById("run-panel");
  const status = document.getElementById("log-status");
  if (!log || !window.EventSource) { return; }

  function follow() {
    return log.scrollTop + log.clientHeight >= log.scrollHeight - 40;
  }

  function refreshPanel() {
    fetch(panel.dataset.panelUrl, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) { panel.innerHTML = html; })
      .catch(function () { status.textContent = "(could not refresh the run state)"; });
  }

  const source = new EventSource(log.dataset.eventsUrl);
  let lastState = null;
  source.addEventListener("open", function () { status.textContent = "(live)"; });
  source.addEventListener("log", function (event) {
    const stick = follow();
    const line = JSON.parse(event.data).text;
    log.appendChild(document.createTextNode(line + "\n"));  // text, never HTML
    if (stick) { log.scrollTop = log.scrollHeight; }
  });
  source.addEventListener("state", function (event) {
    const state = JSON.parse(event.data).state;
    if (lastState !== null && state !== lastState) { refreshPanel(); }
    lastState = state;
    log.dataset.state = state;
  });
  source.addEventListener("cancel_requested", refreshPanel);
  source.addEventListener("end", function (event) {
    source.close();
    status.textContent = "(finished: " + JSON.parse(event.data).state + ")";
    log.dataset.state = JSON.parse(event.data).state;
    log.dataset.ended = "true";
    refreshPanel();
  });
  source.addEventListener("error", function () {
    if (log.dataset.ended !== "true") { status.textContent = "(reconnecting…)"; }
  });
})();
