// The selected run's header: bar and figures. While it runs: phase, ETA with its band, recent
// throughput; once over: outcome, duration, throughput over the whole run (no frozen ETA).
import { el, bar, status, fact, fmtPct, fmtSecs, fmtRate } from './dom.js';
import { isFinal, throughputPerMin, durationSecs, taskCounts } from './model.js';

export function renderSummary(r, shown) {
  const head = el('div', 'run-header');
  head.id = 'run-' + r.runId;
  head.append(el('h2', null, r.runId + (r.info.clusterName ? ' — ' + r.info.clusterName : '')), bar(r.info.percent, r.info.status));
  const facts = el('div', 'facts');
  facts.append(fact('status', status(shown, 'run-status')), fact('progress', fmtPct(r.info.percent), 'run-percent'));
  if (isFinal(r.info.status)) {
    const c = taskCounts(r);
    const outcome = r.info.status.toLowerCase() + ': ' + (c.COMPLETED || 0) + ' completed, ' + (c.FAILED || 0) + ' failed, '
      + (c.SKIPPED || 0) + ' skipped' + (c.CANCELLED ? ', ' + c.CANCELLED + ' cancelled' : '');
    const d = durationSecs(r);
    facts.append(fact('outcome', outcome, 'run-outcome'), fact('duration', d === null ? '—' : fmtSecs(d), 'run-duration'),
      fact('throughput', fmtRate(throughputPerMin(r)), 'run-throughput'));
  } else {
    const eta = r.info.eta;
    facts.append(fact('phase', r.info.phase || '—', 'run-phase'),
      fact('ETA', eta ? fmtSecs(eta.seconds) + ' (' + fmtSecs(eta.low) + ' – ' + fmtSecs(eta.high) + ', '
        + Math.round(eta.confidence * 100) + '% ' + eta.method + ')' : '—', 'run-eta'),
      fact('throughput', fmtRate(throughputPerMin(r)), 'run-throughput'));
  }
  facts.append(fact('events', String(r.lastSeq), 'run-seq'));
  if (shown === 'NO_UPDATES') {
    facts.append(fact('last update', r.info.updatedAt ? r.info.updatedAt.replace('T', ' ').slice(0, 19) + ' UTC' : '—', 'run-silent'));
  }
  head.append(facts);
  return head;
}
