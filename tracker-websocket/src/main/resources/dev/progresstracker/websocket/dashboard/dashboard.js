// Progress tracker dashboard: plain JS modules, no build step; uPlot (from its WebJar) for charts.
// Learns the WebSocket address from /config.json. On connect it asks for the run list, then
// subscribes to every run. It asks for the history of the runs that matter: every run in progress
// and the RECENT_FINISHED_WITH_HISTORY newest finished ones, from sequence 0 (so the page is rebuilt
// from the run's history, not only from what it saw live) or, after a drop, from the last sequence
// it has. Every other finished run comes as a snapshot, its final state: a store that kept weeks of
// runs would otherwise send thousands of histories (more than the server's send buffer holds) and
// resume points (more than it accepts). A run that begins between the summary and the subscription
// is not listed: the server streams it from its first event all the same (its protocol rule), so a
// run's history starts at sequence 1 unless a snapshot says the early events are gone.
// The URL fragment holds the page's options: #run=<id>&task=<id>&token=<t>&stale=<seconds>.
import { runs, run, applySnapshot, applyEvent, isFinal } from './model.js';
import { el, fmtPct } from './dom.js';
import { renderRunList, shownStatus, orderedRuns } from './runlist.js';
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

// Finished runs whose history the page asks for; the rest come as snapshots.
const RECENT_FINISHED_WITH_HISTORY = 10;
// At most this many resume points: the server accepts one per listed run and at least 1,025.
const MAX_RESUME_POINTS = 1024;

/**
 * Every run, present and future; a resume point (the page's last sequence, 0 for a run it has no
 * events of) for each run in progress and the newest finished ones, in that order.
 */
function subscribeAll() {
  const since = {};
  let finished = 0;
  for (const r of orderedRuns(runs)) {
    if (Object.keys(since).length >= MAX_RESUME_POINTS) break;
    if (isFinal(r.info.status) && finished++ >= RECENT_FINISHED_WITH_HISTORY) break;
    since[r.runId] = r.lastSeq;
  }
  debug.resumePoints = Object.keys(since).length;
  ws.send(JSON.stringify({ type: 'subscribe', runId: '*', sinceSequences: since }));
}

function handle(msg) {
  switch (msg.type) {
    case 'hello':
      document.getElementById('server-info').textContent = 'server ' + msg.serverVersion + ', protocol ' + msg.protocolVersion;
      break;
    case 'summary':
      for (const info of msg.runs) if (!runs.has(info.runId)) Object.assign(run(info.runId).info, info, { lastSequence: 0 });
      subscribeAll();
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
  else if (!selected || !runs.has(selected)) selected = runs.size ? orderedRuns(runs)[0].runId : null;
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
