// The live event log, newest first, at most LOG_LIMIT lines.
import { el } from './dom.js';

const LOG_LIMIT = 300;

export function logLine(runId, seq, type, text) {
  const list = document.getElementById('event-log');
  list.prepend(el('li', 'log-' + type.replace('.', '-'),
    new Date().toLocaleTimeString() + '  ' + runId + (seq ? ' #' + seq : '') + '  ' + type + '  ' + text));
  while (list.childElementCount > LOG_LIMIT) list.lastElementChild.remove();
}
