// Progress tracker dashboard: plain JS modules, no build step; uPlot (from its WebJar) for charts.
// Learns the WebSocket address from /config.json. On connect it asks for the run list, then
// subscribes to every run from sequence 0 (so the page is rebuilt from the run's history, not only
// from what it saw live) or, after a drop, from the last sequence it has of each run. A run that
// begins between the summary and the subscription is not listed: the server streams it from its
// first event all the same (its protocol rule), so every run's history starts at sequence 1 unless
// a snapshot says the early events are gone.
// The URL fragment holds the page's options: #run=<id>&task=<id>&token=<t>&stale=<seconds>.
import { runs, run, applySnapshot, applyEvent } from './model.js';
import { el, fmtPct } from './dom.js';
import { renderRunList, shownStatus } from './runlist.js';
import { renderSummary } from './summary.js';
import { renderAlerts } from './alerts.js';
import { renderCharts, charts } from './charts.js';
import { renderTimeline } from './timeline.js';
import { renderUsage } from './usage.js';
import { renderTasks } from './tasks.js';
import { logLine } from './eventlog.js';

const debug = window.__dashboard = { connects: 0, events: 0, snapshots: 0, errors: [], runs, charts };
let route = parseHash();
let selected = route.run;
let ws = null;
let retryMs = 250;
let renderQueued = false;
let scrolledTo = null;

function parseHash() {
  const p = new URLSearchParams(location.hash.slice(1));
  const stale = Number(p.get('stale'));
  return { run: p.get('run'), task: p.get('task'), token: p.get('token'), stale: stale > 0 ? stale : 60 };
}

function select(runId, taskId) {
  const p = new URLSearchParams();
  if (runId) p.set('run', runId);
  if (taskId) p.set('task', taskId);
  if (route.token) p.set('token', route.token);
  if (route.stale !== 60) p.set('stale', String(route.stale));
  history.replaceState(null, '', '#' + p.toString());
  route = parseHash();
  selected = runId;
  queueRender();
}

// A followed link (#run=…&task=…) carries no token or stale: the page keeps those it was opened with.
window.addEventListener('hashchange', () => {
  const old = route;
  route = parseHash();
  if ((!route.token && old.token) || (route.stale === 60 && old.stale !== 60)) {
    route.token = route.token || old.token;
    route.stale = route.stale !== 60 ? route.stale : old.stale;
    select(route.run, route.task);
  }
  selected = route.run || selected;
  scrolledTo = null;
  queueRender();
});

function setConn(state) {
  const c = document.getElementById('conn-state');
  c.textContent = state;
  c.className = 'conn conn-' + state;
}

async function connect() {
  setConn(debug.connects === 0 ? 'connecting' : 'reconnecting');
  let config;
  try {
    const r = await fetch('config.json', { cache: 'no-store' });
    if (!r.ok) throw new Error('config.json: HTTP ' + r.status);
    config = await r.json();
  } catch (e) {
    return retry();
  }
  const protocols = [config.subprotocol];
  if (route.token) protocols.push('bearer.' + route.token);
  try {
    ws = new WebSocket(config.websocketUrl, protocols);
  } catch (e) {
    return retry();
  }
  ws.onopen = () => {
    retryMs = 250;
    debug.connects++;
    setConn('connected');
    ws.send(JSON.stringify({ type: 'getSummary' }));
  };
  ws.onmessage = (m) => {
    let msg;
    try { msg = JSON.parse(m.data); } catch (e) { return; }
    handle(msg);
  };
  ws.onclose = () => { ws = null; retry(); };
}

function retry() {
  setConn('reconnecting');
  setTimeout(connect, retryMs);
  retryMs = Math.min(retryMs * 2, 5000);
}

/** Every run the server lists, from the page's last sequence of it, or from 0 to get its history. */
function subscribeAll(listed) {
  const since = {};
  for (const info of listed) since[info.runId] = 0;
  for (const [id, r] of runs) since[id] = r.lastSeq;
  ws.send(JSON.stringify({ type: 'subscribe', runId: '*', sinceSequences: since }));
}

function handle(msg) {
  switch (msg.type) {
    case 'hello':
      document.getElementById('server-info').textContent = 'server ' + msg.serverVersion + ', protocol ' + msg.protocolVersion;
      break;
    case 'summary':
      for (const info of msg.runs) if (!runs.has(info.runId)) Object.assign(run(info.runId).info, info, { lastSequence: 0 });
      subscribeAll(msg.runs);
      break;
    case 'snapshot':
      debug.snapshots++;
      applySnapshot(msg);
      logLine(msg.runId, msg.sequence, 'snapshot', msg.tasks.length + ' tasks, ' + fmtPct(msg.run.percent));
      break;
    case 'event': {
      const e = msg.event;
      if (!applyEvent(e)) return;
      debug.events++;
      logLine(e.runId, e.sequence, e.type, e.task ? e.task.taskId + ' ' + e.task.status + ' ' + fmtPct(e.task.percent)
        : e.alert ? e.alert.message : (e.run.phase || '') + ' ' + fmtPct(e.run.percent));
      break;
    }
    case 'error':
      debug.errors.push(msg);
      logLine('', 0, 'error', msg.code + ': ' + msg.message);
      break;
    default:
      return;
  }
  queueRender();
}

function queueRender() {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => { renderQueued = false; render(); });
}

function render() {
  const now = Date.now();
  // The run in the URL once it exists (it may start after the page loaded), else the one chosen, else the first.
  if (route.run && runs.has(route.run)) selected = route.run;
  else if (!selected || !runs.has(selected)) selected = runs.size ? runs.keys().next().value : null;
  renderRunList(document.getElementById('runs'), runs, selected, (id) => select(id, null), now, route.stale);
  const view = document.getElementById('run-view');
  const r = runs.get(selected);
  if (!r) { view.replaceChildren(el('p', 'empty', 'No run selected.')); return; }
  const tasks = el('section', 'panel');
  tasks.id = 'tasks-panel';
  tasks.append(el('h3', null, 'Tasks'), renderTasks(r, route.task, queueRender));
  view.replaceChildren(renderSummary(r, shownStatus(r, now, route.stale)), renderAlerts(r, now),
    renderCharts(r, view.clientWidth || 800), renderUsage(r), renderTimeline(r, now), tasks);
  if (route.task && scrolledTo !== route.task) {
    const row = document.getElementById('task-' + route.task);
    if (row) { row.scrollIntoView({ block: 'center' }); scrolledTo = route.task; }
  }
}

setInterval(queueRender, 1000);   // ages of alerts, silent runs, the timeline's "now"
connect();
