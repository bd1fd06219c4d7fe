// Timeline (Gantt): a row per task that has started, one bar per stretch of work (each attempt,
// each resume after a pause), a mark where it failed, paused or was cancelled. Rows follow the tree.
import { el, panel, fmtClock } from './dom.js';
import { childrenOf } from './model.js';

const MAX_ROWS = 200;   // beyond that a Gantt is unreadable and costly to redraw every second

export function renderTimeline(r, now) {
  const p = panel('timeline-panel', 'Timeline');
  const starts = [...r.spans.values()].flat().map(s => s.start);
  if (!starts.length) { p.append(el('p', 'empty', 'No task has started yet.')); return p; }
  const t0 = Math.min(...starts, r.info.startedAt ? Date.parse(r.info.startedAt) : Infinity);
  const t1 = Math.max(r.info.finishedAt ? Date.parse(r.info.finishedAt) : now, t0 + 1000);
  const x = (t) => ((Math.min(Math.max(t, t0), t1) - t0) / (t1 - t0) * 100).toFixed(3) + '%';
  const rows = el('div', 'timeline');
  const children = childrenOf(r);
  let hidden = 0;
  const visit = (parent, depth) => {
    for (const t of children.get(parent) || []) {
      const spans = r.spans.get(t.taskId);
      if (spans && spans.length && rows.childElementCount >= MAX_ROWS) hidden++;
      else if (spans && spans.length) {
        const row = el('div', 'tl-row');
        row.dataset.taskId = t.taskId;
        const label = el('span', 'tl-label', t.name);
        label.style.paddingLeft = depth + 'em';
        const track = el('div', 'tl-track');
        for (const s of spans) {
          const seg = el('span', 'tl-seg tl-' + s.outcome);
          seg.style.left = x(s.start);
          seg.style.width = 'calc(' + x(s.end === null ? t1 : s.end) + ' - ' + x(s.start) + ')';
          seg.title = t.name + ': ' + fmtClock(s.start) + ' – ' + (s.end === null ? 'now' : fmtClock(s.end)) + ' ' + s.outcome;
          track.append(seg);
        }
        for (const m of r.marks) {
          if (m.taskId !== t.taskId) continue;
          const mark = el('span', 'tl-mark tl-mark-' + m.kind);
          mark.style.left = x(m.t);
          mark.title = m.kind + ' at ' + fmtClock(m.t);
          track.append(mark);
        }
        row.append(label, track);
        rows.append(row);
      }
      visit(t.taskId, depth + 1);
    }
  };
  visit('', 0);
  const axis = el('div', 'tl-axis');
  axis.append(el('span', null, fmtClock(t0)), el('span', null, fmtClock(t1)));
  p.append(rows, axis);
  if (hidden) p.append(el('p', 'empty', hidden + ' more started tasks not drawn (the first ' + MAX_ROWS + ' are).'));
  return p;
}
