// Charts (uPlot, served from its WebJar by DashboardServer): the run's percent over time with the
// ETA's predicted finish and its low–high band over time (flat when the estimate held), and
// throughput over time (one point per completed task). Plots are kept per run and fed new data.
import { el, panel, fmtClock } from './dom.js';

let current = null;   // {runId, section, progress: uPlot, throughput: uPlot, sizes: string}

export function charts() { return current; }

export function renderCharts(r, width) {
  const w = Math.max(320, Math.floor(width) - 24);
  if (!current || current.runId !== r.runId || current.width !== w) {
    if (current) { current.progress.destroy(); current.throughput.destroy(); }
    const section = panel('charts-panel', 'Progress and throughput');
    const a = el('div', 'chart chart-progress'), b = el('div', 'chart chart-throughput');
    section.append(a, b);
    current = { runId: r.runId, width: w, section, progress: progressPlot(a, w), throughput: throughputPlot(b, w) };
  }
  current.progress.setData(progressData(r));
  current.throughput.setData(throughputData(r));
  return current.section;
}

function progressData(r) {
  const xs = [], pct = [], fin = [], low = [], high = [];
  for (const p of r.progress) {
    const t = p.t / 1000;
    xs.push(t); pct.push(p.percent);
    fin.push(p.eta ? t + p.eta.seconds : null);
    low.push(p.eta ? t + p.eta.low : null);
    high.push(p.eta ? t + p.eta.high : null);
  }
  return [xs, pct, fin, low, high];
}

function throughputData(r) {
  return [r.throughput.map(p => p.t / 1000), r.throughput.map(p => p.perMin)];
}

const clock = (u, vals) => vals.map(v => v === null ? '' : fmtClock(v * 1000));

function progressPlot(target, width) {
  return new uPlot({
    width, height: 200, title: 'Percent, and the predicted finish (band: low – high)',
    scales: { x: { time: true }, pct: { range: [0, 100] }, fin: { time: true } },
    series: [
      {},
      { label: 'percent', scale: 'pct', stroke: '#1565c0', width: 2, value: (u, v) => v === null ? '' : v.toFixed(1) + '%' },
      { label: 'predicted finish', scale: 'fin', stroke: '#ef6c00', width: 2, spanGaps: true, value: (u, v) => v === null ? '' : fmtClock(v * 1000) },
      { label: 'low', scale: 'fin', stroke: '#ffcc80', spanGaps: true, value: (u, v) => v === null ? '' : fmtClock(v * 1000) },
      { label: 'high', scale: 'fin', stroke: '#ffcc80', spanGaps: true, value: (u, v) => v === null ? '' : fmtClock(v * 1000) },
    ],
    bands: [{ series: [4, 3], fill: 'rgba(239,108,0,0.15)' }],
    axes: [{}, { scale: 'pct', values: (u, vals) => vals.map(v => v + '%') }, { scale: 'fin', side: 1, values: clock, size: 70 }],
  }, [[], [], [], [], []], target);
}

function throughputPlot(target, width) {
  return new uPlot({
    width, height: 160, title: 'Throughput (tasks/min over the last 5 min, at each completion)',
    scales: { x: { time: true } },
    series: [{}, { label: 'tasks/min', stroke: '#2e7d32', width: 2, points: { show: true }, value: (u, v) => v === null ? '' : v.toFixed(2) }],
  }, [[], []], target);
}
