// The task tree: a row per task with status, bar, percent and message; parents show the
// weighted mean of their children. A task's row is the target of #task=<id> links.
import { el, bar, status, fmtPct } from './dom.js';
import { childrenOf, derivedTasks } from './model.js';

const collapsed = new Set();

export function renderTasks(r, focusTask, rerender) {
  const children = childrenOf(r);
  const shown = derivedTasks(r);
  const build = (parent) => {
    const ul = el('ul', 'tasks');
    for (const t of children.get(parent) || []) {
      const d = shown.get(t.taskId) || { percent: t.percent, status: t.status };
      const kids = children.has(t.taskId);
      const li = el('li', (collapsed.has(t.taskId) ? 'collapsed' : '') + (t.taskId === focusTask ? ' focused' : ''));
      li.dataset.taskId = t.taskId;
      li.id = 'task-' + t.taskId;
      const toggle = el('button', 'toggle', kids ? (collapsed.has(t.taskId) ? '▸' : '▾') : '');
      if (kids) toggle.onclick = () => { collapsed.has(t.taskId) ? collapsed.delete(t.taskId) : collapsed.add(t.taskId); rerender(); };
      const name = el('a', 'task-name', t.name);
      name.href = '#run=' + encodeURIComponent(r.runId) + '&task=' + encodeURIComponent(t.taskId);
      const row = el('div', 'task-row');
      row.append(toggle, name, status(d.status, 'task-status'), bar(d.percent, d.status), el('span', 'task-percent', fmtPct(d.percent)),
        el('span', 'task-message', (t.attempt > 1 ? 'attempt ' + t.attempt + ' · ' : '') + (t.message || '')));
      li.append(row);
      if (kids) li.append(build(t.taskId));
      ul.append(li);
    }
    return ul;
  };
  return build('');
}
