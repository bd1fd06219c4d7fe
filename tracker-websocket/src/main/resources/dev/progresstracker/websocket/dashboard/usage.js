// Usage: API calls (ok / failed), throttles and the delay they caused, tokens in / out, estimated
// cost with its currency and quality — for the run, per phase and per task type (see usagetotals.js).
import { el, panel } from './dom.js';
import { usageOf } from './usagetotals.js';

const COLUMNS = [
  ['calls ok', 'u-calls-ok', t => fmtInt(t.apiCalls - t.apiCallsFailed)],
  ['calls failed', 'u-calls-failed', t => fmtInt(t.apiCallsFailed)],
  ['throttles', 'u-throttles', t => fmtInt(t.rateLimitHits)],
  ['throttle delay', 'u-delay', t => (t.rateLimitDelayMs / 1000).toFixed(1) + ' s'],
  ['tokens in', 'u-tokens-in', t => fmtInt(t.tokensIn)],
  ['tokens out', 'u-tokens-out', t => fmtInt(t.tokensOut)],
  ['cost', 'u-cost', t => t.currency ? t.cost.toFixed(4) + ' ' + t.currency : '—'],
  ['quality', 'u-quality', t => t.qualityWeight ? (t.qualitySum / t.qualityWeight).toFixed(2) : '—'],
];

function fmtInt(n) { return Math.round(n).toLocaleString('en-US'); }

function row(kind, key, label, totals) {
  const tr = el('tr', 'usage-row usage-' + kind);
  tr.dataset.key = key;
  tr.append(el('th', 'u-label', label));
  for (const [, cls, fmt] of COLUMNS) tr.append(el('td', cls, fmt(totals)));
  return tr;
}

function group(title, kind, map) {
  const body = el('tbody', 'usage-' + kind + 's');
  const head = el('tr', 'usage-group');
  const th = el('th', null, title);
  th.colSpan = COLUMNS.length + 1;
  head.append(th);
  body.append(head);
  for (const [key, totals] of map) body.append(row(kind, key, key === 'earlier' ? 'earlier (before the page’s history)' : key, totals));
  return body;
}

export function renderUsage(r) {
  const p = panel('usage-panel', 'Usage');
  const u = usageOf(r);
  if (!u.any) {
    p.append(el('p', 'empty none', 'No usage recorded in this run.'));
    return p;
  }
  const table = el('table', 'usage-table');
  const head = el('tr');
  head.append(el('th'));
  for (const [title] of COLUMNS) head.append(el('th', null, title));
  const thead = el('thead');
  thead.append(head);
  const runBody = el('tbody', 'usage-runs');
  runBody.append(row('run', 'run', 'run', u.run));
  table.append(thead, runBody, group('per phase', 'phase', u.byPhase), group('per task type', 'type', u.byType));
  p.append(table);
  return p;
}
