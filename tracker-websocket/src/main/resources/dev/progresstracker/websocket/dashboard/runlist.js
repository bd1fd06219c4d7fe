// Run list: every run the server knows (its own and its store's), with status, cluster, percent
// and ETA, filtered by status and cluster. A run whose agent went silent shows NO UPDATES.
// Runs in progress come first, then finished ones, newest update first; of the finished ones the
// list shows the newest FINISHED_SHOWN (a store that kept weeks of runs holds thousands) and says
// how many more match.
import { el, bar, status, fmtPct, fmtSecs } from './dom.js';
import { isFinal, isSilent } from './model.js';

const filters = { status: '', cluster: '' };
const FINISHED_SHOWN = 100;

function updated(r) {
  const t = Date.parse(r.info.updatedAt || '');
  return Number.isNaN(t) ? 0 : t;
}

/** The runs as listed: in progress first, then finished; each newest update first. */
export function orderedRuns(runs) {
  return [...runs.values()].sort((a, b) =>
    (isFinal(a.info.status) - isFinal(b.info.status)) || (updated(b) - updated(a)));
}

export function shownStatus(r, now, staleSecs) {
  return isSilent(r, now, staleSecs) ? 'NO_UPDATES' : r.info.status;
}

export function renderRunList(nav, runs, selected, onSelect, now, staleSecs) {
  nav.replaceChildren();
  const clusters = [...new Set([...runs.values()].map(r => r.info.clusterName || '—'))].sort();
  const statuses = [...new Set([...runs.values()].map(r => shownStatus(r, now, staleSecs)))].sort();
  const bar_ = el('div', 'run-filters');
  bar_.append(select('filter-status', 'all statuses', statuses, 'status'), select('filter-cluster', 'all clusters', clusters, 'cluster'));
  nav.append(bar_);
  let shown = 0, finishedShown = 0, hidden = 0;
  for (const r of orderedRuns(runs)) {
    const id = r.runId;
    const st = shownStatus(r, now, staleSecs);
    if (filters.status && st !== filters.status) continue;
    if (filters.cluster && (r.info.clusterName || '—') !== filters.cluster) continue;
    if (isFinal(r.info.status)) {
      if (finishedShown >= FINISHED_SHOWN && id !== selected) { hidden++; continue; }  // the selected one is always shown
      finishedShown++;
    }
    shown++;
    const b = el('a', 'run-item' + (id === selected ? ' selected' : ''));
    b.dataset.runId = id;
    b.href = '#run=' + encodeURIComponent(id);
    b.onclick = (ev) => { ev.preventDefault(); onSelect(id); };
    const eta = !isFinal(r.info.status) && r.info.eta ? 'ETA ' + fmtSecs(r.info.eta.seconds) : '';
    b.append(el('div', 'run-id', id), el('div', 'run-cluster', r.info.clusterName || '—'),
      bar(r.info.percent, r.info.status), status(st, 'run-item-status'), el('span', 'run-item-percent', fmtPct(r.info.percent)),
      el('span', 'run-item-eta', eta));
    nav.append(b);
  }
  if (hidden) nav.append(el('p', 'run-more', hidden + ' older finished run' + (hidden === 1 ? '' : 's') + ' not shown'));
  if (shown === 0) nav.append(el('p', 'empty', runs.size ? 'No run matches the filter.' : 'No runs yet.'));

  function select(id, all, values, key) {
    const s = el('select');
    s.id = id;
    s.setAttribute('aria-label', all);
    s.append(new Option(all, ''));
    if (filters[key] && !values.includes(filters[key])) values.push(filters[key]);
    for (const v of values) s.append(new Option(v, v));
    s.value = filters[key];
    s.onchange = () => { filters[key] = s.value; onSelect(selected); };
    return s;
  }
}
