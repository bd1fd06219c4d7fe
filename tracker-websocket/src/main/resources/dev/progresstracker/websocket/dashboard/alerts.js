// Alerts: the active ones with severity and age, and the run's history of raised and cleared
// alerts (so an alert raised and cleared between two looks still leaves a trace).
import { el, panel, fmtSecs, fmtClock } from './dom.js';

export function renderAlerts(r, now) {
  const p = panel('alerts-panel', 'Alerts');
  const active = el('ul', 'alerts active-alerts');
  for (const { alert: a, raisedAt } of r.alerts.values()) {
    const li = el('li', 'sev-' + a.severity);
    li.dataset.alertId = a.alertId;
    li.append(el('span', 'alert-text', a.severity + ': ' + a.message + (a.taskId ? ' (' + a.taskId + ')' : '')),
      el('span', 'age', raisedAt === null ? '' : ' for ' + fmtSecs(Math.max(0, (now - raisedAt) / 1000))));
    active.append(li);
  }
  if (!r.alerts.size) active.append(el('li', 'empty none', 'No active alerts.'));
  const history = el('ol', 'alert-history');
  for (const h of [...r.alertHistory].reverse()) {
    const li = el('li', h.kind + ' sev-' + h.alert.severity, fmtClock(h.time) + '  ' + h.kind + '  ' + h.alert.severity + ': '
      + h.alert.message + (h.alert.taskId ? ' (' + h.alert.taskId + ')' : ''));
    li.dataset.alertId = h.alert.alertId;
    history.append(li);
  }
  p.append(active, el('h4', null, 'History'), history);
  if (!r.alertHistory.length) history.append(el('li', 'empty none', r.fromHistory ? 'None in this run.' : 'Not kept for this run.'));
  return p;
}
