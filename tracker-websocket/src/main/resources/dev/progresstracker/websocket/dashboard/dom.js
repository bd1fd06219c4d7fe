// Small helpers shared by the panels: element creation, number formats, the progress bar.

export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}

export function fmtPct(p) { return (Math.round((p || 0) * 10) / 10).toFixed(1) + '%'; }

export function fmtSecs(s) {
  if (s < 90) return Math.round(s) + ' s';
  if (s < 5400) return Math.round(s / 60) + ' min';
  return (s / 3600).toFixed(1) + ' h';
}

export function fmtRate(perMin) { return perMin === null ? '—' : perMin.toFixed(1) + ' tasks/min'; }

export function fmtClock(ms) { return new Date(ms).toISOString().slice(11, 19); }

/**
 * A bar: the track is always the neutral colour, only the fill takes the status colour
 * (`data-status`, never the status-pill class, whose background would paint the whole track).
 */
export function bar(percent, status) {
  const b = el('div', 'bar');
  b.dataset.status = status;
  const fill = el('span', 'fill');
  fill.style.width = Math.max(0, Math.min(100, percent || 0)) + '%';
  b.append(fill);
  b.setAttribute('role', 'progressbar');
  b.setAttribute('aria-valuenow', String(Math.round((percent || 0) * 10) / 10));
  return b;
}

export function status(text, cls) { return el('span', 'status st-' + text + (cls ? ' ' + cls : ''), text); }

export function fact(label, value, cls) {
  const f = el('div', 'fact ' + (cls || ''));
  f.append(el('b', null, label), typeof value === 'string' ? el('span', 'value', value) : value);
  return f;
}

export function panel(id, title) {
  const s = el('section', 'panel');
  s.id = id;
  s.append(el('h3', null, title));
  return s;
}
