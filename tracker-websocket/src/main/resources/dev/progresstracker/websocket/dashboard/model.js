// The page's state: one record per run, rebuilt from a snapshot and the run's event history
// (the page asks for every event from sequence 1 on load, see dashboard.js), then kept live.
// Everything a panel shows is derived here, so a reload shows what a live page showed.

const FINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'SKIPPED']);
const THROUGHPUT_WINDOW_MS = 5 * 60000;

export const runs = new Map();

export function isFinal(status) { return FINAL.has(status); }

export function run(runId) {
  let r = runs.get(runId);
  if (!r) {
    r = {
      runId, info: { runId, status: 'NOT_STARTED', percent: 0 }, tasks: new Map(), lastSeq: 0, seqs: [],
      alerts: new Map(),      // alertId -> {alert, raisedAt (ms or null when only the snapshot had it)}
      alertHistory: [],       // {time, kind: 'raised' | 'cleared', alert}, oldest first
      progress: [],           // {t, percent, eta: {seconds, low, high} | null}: one per change of percent or ETA
      throughput: [],         // {t, perMin}: one per task.completed
      spans: new Map(),       // taskId -> [{start, end|null, outcome}] one per stretch of work (attempt or resume)
      marks: [],              // {taskId, t, kind: 'failed' | 'paused' | 'cancelled'}
      eventTimes: [],         // times of the last events, for the run's cadence
      fromHistory: false,     // true once events from sequence 1 were applied
    };
    runs.set(runId, r);
  }
  return r;
}

/** Replaces a run's state by a snapshot; the history arrives as events after it. */
export function applySnapshot(msg) {
  const r = run(msg.runId);
  r.info = Object.assign({}, msg.run);
  r.tasks = new Map(msg.tasks.map(t => [t.taskId, t]));
  r.alerts = new Map(msg.alerts.map(a => [a.alertId, { alert: a, raisedAt: null }]));
  r.lastSeq = msg.sequence;
  r.spans = new Map();
  for (const t of msg.tasks) {
    if (t.startedAt) r.spans.set(t.taskId, [{ start: Date.parse(t.startedAt), end: t.finishedAt ? Date.parse(t.finishedAt) : null, outcome: t.status }]);
  }
  return r;
}

/** Applies one event; returns false when the page already had it (replay overlap). */
export function applyEvent(e) {
  const r = run(e.runId);
  if (e.sequence <= r.lastSeq) return false;
  if (e.sequence === 1) r.fromHistory = true;
  const t = Date.parse(e.time);
  r.lastSeq = e.sequence;
  r.seqs.push(e.sequence);
  r.eventTimes.push(t);
  if (r.eventTimes.length > 21) r.eventTimes.shift();
  Object.assign(r.info, e.run, { lastSequence: e.sequence, updatedAt: e.time });
  if (!e.run.eta) delete r.info.eta;
  if (e.clusterName) r.info.clusterName = e.clusterName;
  if (e.task) {
    r.tasks.set(e.task.taskId, e.task);
    span(r, e.type, e.task, t);
  }
  if (e.type === 'alert.raised') {
    r.alerts.set(e.alert.alertId, { alert: e.alert, raisedAt: t });
    r.alertHistory.push({ time: t, kind: 'raised', alert: e.alert });
  } else if (e.type === 'alert.cleared') {
    r.alerts.delete(e.alert.alertId);
    r.alertHistory.push({ time: t, kind: 'cleared', alert: e.alert });
  }
  progressPoint(r, t);
  if (e.type === 'task.completed') r.throughput.push({ t, perMin: recentRate(r, t) });
  return true;
}

function progressPoint(r, t) {
  const eta = r.info.eta ? { seconds: r.info.eta.seconds, low: r.info.eta.low, high: r.info.eta.high } : null;
  const last = r.progress[r.progress.length - 1];
  if (last && last.percent === r.info.percent && JSON.stringify(last.eta) === JSON.stringify(eta)) return;
  r.progress.push({ t, percent: r.info.percent, eta });
}

function span(r, type, task, t) {
  const list = r.spans.get(task.taskId) || [];
  const open = list.length && list[list.length - 1].end === null ? list[list.length - 1] : null;
  const close = (outcome) => { if (open) { open.end = t; open.outcome = outcome; } };
  switch (type) {
    case 'task.started':
    case 'task.resumed':
      if (!open) list.push({ start: t, end: null, outcome: 'IN_PROGRESS' });
      break;
    case 'task.paused': close('PAUSED'); r.marks.push({ taskId: task.taskId, t, kind: 'paused' }); break;
    case 'task.failed': close('FAILED'); r.marks.push({ taskId: task.taskId, t, kind: 'failed' }); break;
    case 'task.cancelled': close('CANCELLED'); r.marks.push({ taskId: task.taskId, t, kind: 'cancelled' }); break;
    case 'task.completed': close('COMPLETED'); break;
    case 'task.skipped': close('SKIPPED'); break;
    default: return;
  }
  r.spans.set(task.taskId, list);
}

/** Children by parent id ('' for top level), in arrival order. */
export function childrenOf(r) {
  const children = new Map();
  for (const t of r.tasks.values()) {
    const p = t.parentTaskId && r.tasks.has(t.parentTaskId) ? t.parentTaskId : '';
    if (!children.has(p)) children.set(p, []);
    children.get(p).push(t);
  }
  return children;
}

/**
 * A task's percent and status as shown: a parent's percent is the weighted mean of its children
 * (skipped ones count as done), and a parent not started while a child runs shows IN_PROGRESS,
 * whatever the server sent for the parent (it may not derive them).
 */
export function derivedTasks(r) {
  const children = childrenOf(r);
  const out = new Map();
  const visit = (t, depth) => {
    const kids = children.get(t.taskId);
    if (!kids || depth > 64) { out.set(t.taskId, { percent: t.percent || 0, status: t.status }); return out.get(t.taskId); }
    let sum = 0, weight = 0, running = false;
    for (const k of kids) {
      const d = visit(k, depth + 1);
      const w = k.weight || 1;
      sum += w * (k.status === 'SKIPPED' ? 100 : d.percent);
      weight += w;
      running = running || d.status === 'IN_PROGRESS';
    }
    const percent = isFinal(t.status) && t.status !== 'FAILED' ? 100 : weight ? sum / weight : t.percent;
    const status = t.status === 'NOT_STARTED' && running ? 'IN_PROGRESS' : t.status;
    out.set(t.taskId, { percent, status });
    return out.get(t.taskId);
  };
  for (const t of children.get('') || []) visit(t, 0);
  return out;
}

function completionTimes(r) {
  const times = [];
  for (const t of r.tasks.values()) if (t.status === 'COMPLETED' && t.finishedAt) times.push(Date.parse(t.finishedAt));
  return times.sort((a, b) => a - b);
}

function recentRate(r, now) {
  const recent = completionTimes(r).filter(t => t <= now && now - t <= THROUGHPUT_WINDOW_MS);
  if (recent.length === 0) return 0;
  return recent.length / Math.max(1, (now - recent[0]) / 60000);
}

/**
 * Tasks completed per minute: over the last five minutes of the run while it runs (from the tasks'
 * finish times, so it is right after a reload), over the whole run once it is over.
 */
export function throughputPerMin(r) {
  const done = completionTimes(r);
  if (isFinal(r.info.status) && r.info.startedAt && r.info.finishedAt) {
    const minutes = (Date.parse(r.info.finishedAt) - Date.parse(r.info.startedAt)) / 60000;
    return minutes > 0 ? done.length / minutes : null;
  }
  const now = Date.parse(r.info.updatedAt || '') || Date.now();
  return done.length ? recentRate(r, now) : null;
}

/** Seconds from start to finish of a finished run, else null. */
export function durationSecs(r) {
  if (!r.info.startedAt || !r.info.finishedAt) return null;
  return Math.round((Date.parse(r.info.finishedAt) - Date.parse(r.info.startedAt)) / 1000);
}

/**
 * A run in progress whose agent has sent nothing for longer than its cadence allows: five times
 * the median gap between its recent events, at least `floorSecs` (page option #stale=…, default 60).
 */
export function isSilent(r, now, floorSecs) {
  if (isFinal(r.info.status) || r.info.status === 'NOT_STARTED' || !r.info.updatedAt) return false;
  const times = r.eventTimes;
  const gaps = [];
  for (let i = 1; i < times.length; i++) gaps.push(times[i] - times[i - 1]);
  gaps.sort((a, b) => a - b);
  const median = gaps.length ? gaps[gaps.length >> 1] : 0;
  return now - Date.parse(r.info.updatedAt) > Math.max(floorSecs * 1000, 5 * median);
}

export function taskCounts(r) {
  const c = {};
  for (const t of r.tasks.values()) c[t.status] = (c[t.status] || 0) + 1;
  return c;
}
