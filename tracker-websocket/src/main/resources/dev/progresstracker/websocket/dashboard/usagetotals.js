// Usage accounting for the usage panel. Task events carry a task's usage *totals* (task.usage),
// so per run and per task type the figures are sums over the tasks the page holds (right after a
// reload, from the snapshot or the replayed history alike). Per phase the page adds each event's
// increase of a task's totals to the run's phase at that event; a reload replays the run's history
// from sequence 1, so it rebuilds the same split. Usage the page saw only as totals of a snapshot
// (no history before it) cannot be split and is shown as "earlier".

const COUNTERS = ['apiCalls', 'apiCallsFailed', 'rateLimitHits', 'rateLimitDelayMs', 'tokensIn', 'tokensOut', 'cost'];

export function emptyTotals() {
  return { apiCalls: 0, apiCallsFailed: 0, rateLimitHits: 0, rateLimitDelayMs: 0, tokensIn: 0, tokensOut: 0, cost: 0,
    currency: null, qualitySum: 0, qualityWeight: 0 };
}

function addCounters(into, usage, sign) {
  for (const k of COUNTERS) into[k] += sign * (usage[k] || 0);
  if (usage.currency) into.currency = usage.currency;
}

function addQuality(into, usage, weight) {
  if (typeof usage.quality !== 'number') return;
  into.qualitySum += usage.quality * weight;
  into.qualityWeight += weight;
}

/** Records what one event added to a task's usage under the run's phase at that event. */
export function addPhaseUsage(r, before, task, phase) {
  const now = task.usage;
  if (!now) return;
  const was = (before && before.usage) || {};
  const key = phase || '—';
  let p = r.usageByPhase.get(key);
  if (!p) { p = { counters: emptyTotals(), quality: new Map() }; r.usageByPhase.set(key, p); }
  addCounters(p.counters, now, 1);
  addCounters(p.counters, was, -1);
  if (typeof now.quality === 'number' && now.quality !== was.quality) {
    for (const other of r.usageByPhase.values()) other.quality.delete(task.taskId);
    p.quality.set(task.taskId, { quality: now.quality, weight: task.weight || 1 });
  }
}

function sumTasks(tasks) {
  const t = emptyTotals();
  for (const task of tasks) {
    if (!task.usage) continue;
    addCounters(t, task.usage, 1);
    addQuality(t, task.usage, task.weight || 1);
  }
  return t;
}

/** The run's usage: over every task, per task type (each task under its own type), per phase. */
export function usageOf(r) {
  const tasks = [...r.tasks.values()];
  const run = sumTasks(tasks);
  const byType = new Map();
  for (const type of [...new Set(tasks.filter(t => t.usage).map(t => t.type))].sort()) {
    byType.set(type, sumTasks(tasks.filter(t => t.type === type)));
  }
  const byPhase = new Map();
  const split = emptyTotals();
  for (const [phase, p] of r.usageByPhase) {
    const t = Object.assign(emptyTotals(), p.counters);
    for (const q of p.quality.values()) addQuality(t, q, q.weight);
    t.currency = t.currency || run.currency;
    byPhase.set(phase, t);
    addCounters(split, t, 1);
  }
  const earlier = emptyTotals();
  addCounters(earlier, run, 1);
  addCounters(earlier, split, -1);
  if (COUNTERS.some(k => Math.abs(earlier[k]) > 1e-9)) byPhase.set('earlier', earlier);
  return { run, byType, byPhase, any: tasks.some(t => t.usage) };
}
