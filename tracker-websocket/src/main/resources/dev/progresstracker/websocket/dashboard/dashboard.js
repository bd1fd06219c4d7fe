// Progress tracker dashboard: plain JS, no dependencies, no build step.
// Learns the WebSocket address from /config.json, subscribes to every run, and after a drop
// reconnects with the last sequence it has of each run, so the server replays exactly what it missed.
(function () {
  'use strict';
  const LOG_LIMIT = 300;
  const runs = new Map();          // runId -> {info, tasks: Map, alerts: Map, lastSeq, seqs: [], completions: []}
  const collapsed = new Set();     // taskIds whose children are hidden
  let selected = null;
  let ws = null;
  let retryMs = 250;
  let renderQueued = false;
  // Read by the browser test; harmless otherwise.
  const debug = window.__dashboard = { connects: 0, events: 0, snapshots: 0, errors: [], runs };

  const token = new URLSearchParams(location.hash.slice(1)).get('token');

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function setConn(state) {
    const c = document.getElementById('conn-state');
    c.textContent = state;
    c.className = 'conn conn-' + state;
  }

  async function connect() {
    setConn(debug.connects === 0 ? 'connecting' : 'reconnecting');
    let config;
    try {
      const r = await fetch('config.json', { cache: 'no-store' });
      if (!r.ok) throw new Error('config.json: HTTP ' + r.status);
      config = await r.json();
    } catch (e) {
      return retry();
    }
    const protocols = [config.subprotocol];
    if (token) protocols.push('bearer.' + token);
    try {
      ws = new WebSocket(config.websocketUrl, protocols);
    } catch (e) {
      return retry();
    }
    ws.onopen = () => {
      retryMs = 250;
      debug.connects++;
      setConn('connected');
      const since = {};
      for (const [id, run] of runs) if (run.lastSeq > 0) since[id] = run.lastSeq;
      ws.send(JSON.stringify({ type: 'subscribe', runId: '*', sinceSequences: since }));
    };
    ws.onmessage = (m) => {
      let msg;
      try { msg = JSON.parse(m.data); } catch (e) { return; }
      handle(msg);
    };
    ws.onclose = () => { ws = null; retry(); };
  }

  function retry() {
    setConn('reconnecting');
    setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 5000);
  }

  function run(runId) {
    let r = runs.get(runId);
    if (!r) {
      r = { info: { runId, status: 'NOT_STARTED', percent: 0 }, tasks: new Map(), alerts: new Map(), lastSeq: 0, seqs: [], completions: [] };
      runs.set(runId, r);
      if (!selected) selected = runId;
    }
    return r;
  }

  function handle(msg) {
    switch (msg.type) {
      case 'hello':
        document.getElementById('server-info').textContent = 'server ' + msg.serverVersion + ', protocol ' + msg.protocolVersion;
        break;
      case 'snapshot': {
        debug.snapshots++;
        const r = run(msg.runId);
        r.info = msg.run;
        r.tasks = new Map(msg.tasks.map(t => [t.taskId, t]));
        r.alerts = new Map(msg.alerts.map(a => [a.alertId, a]));
        r.lastSeq = msg.sequence;
        log(msg.runId, msg.sequence, 'snapshot', msg.tasks.length + ' tasks, ' + fmtPct(msg.run.percent));
        break;
      }
      case 'event':
        applyEvent(msg.event);
        break;
      case 'error':
        debug.errors.push(msg);
        log('', 0, 'error', msg.code + ': ' + msg.message);
        break;
      default:
        return;
    }
    queueRender();
  }

  function applyEvent(e) {
    const r = run(e.runId);
    if (e.sequence <= r.lastSeq) return;     // already have it (replay overlap)
    debug.events++;
    r.lastSeq = e.sequence;
    r.seqs.push(e.sequence);
    Object.assign(r.info, e.run, { lastSequence: e.sequence, updatedAt: e.time });
    if (e.clusterName) r.info.clusterName = e.clusterName;
    if (e.task) r.tasks.set(e.task.taskId, e.task);
    if (e.type === 'alert.raised') r.alerts.set(e.alert.alertId, e.alert);
    if (e.type === 'alert.cleared') r.alerts.delete(e.alert.alertId);
    if (e.type === 'task.completed') r.completions.push(Date.parse(e.time));
    const what = e.task ? e.task.taskId + ' ' + e.task.status + ' ' + fmtPct(e.task.percent)
      : e.alert ? e.alert.message : (e.run.phase || '') + ' ' + fmtPct(e.run.percent);
    log(e.runId, e.sequence, e.type, what);
  }

  function log(runId, seq, type, text) {
    const list = document.getElementById('event-log');
    const li = el('li', 'log-' + type.replace('.', '-'),
      new Date().toLocaleTimeString() + '  ' + runId + (seq ? ' #' + seq : '') + '  ' + type + '  ' + text);
    list.prepend(li);
    while (list.childElementCount > LOG_LIMIT) list.lastElementChild.remove();
  }

  function fmtPct(p) { return (Math.round((p || 0) * 10) / 10).toFixed(1) + '%'; }

  function fmtSecs(s) {
    if (s < 90) return s + ' s';
    if (s < 5400) return Math.round(s / 60) + ' min';
    return (s / 3600).toFixed(1) + ' h';
  }

  function queueRender() {
    if (renderQueued) return;
    renderQueued = true;
    requestAnimationFrame(() => { renderQueued = false; render(); });
  }

  function bar(percent, status) {
    const b = el('div', 'bar st-' + status);
    const fill = el('span');
    fill.style.width = Math.max(0, Math.min(100, percent || 0)) + '%';
    b.append(fill);
    return b;
  }

  function fact(label, value, cls) {
    const f = el('div', 'fact ' + (cls || ''));
    f.append(el('b', null, label), el('span', 'value', value));
    return f;
  }

  function render() {
    const nav = document.getElementById('runs');
    nav.replaceChildren();
    if (runs.size === 0) nav.append(el('p', 'empty', 'No runs yet.'));
    for (const [id, r] of runs) {
      const b = el('button', 'run-item' + (id === selected ? ' selected' : ''));
      b.dataset.runId = id;
      b.append(el('div', null, id), bar(r.info.percent, r.info.status), el('span', 'status st-' + r.info.status, r.info.status));
      b.onclick = () => { selected = id; render(); };
      nav.append(b);
    }
    const view = document.getElementById('run-view');
    view.replaceChildren();
    const r = runs.get(selected);
    if (!r) return;
    const head = el('div', 'run-header');
    head.id = 'run-' + selected;
    const title = el('h2', null, selected + (r.info.clusterName ? ' — ' + r.info.clusterName : ''));
    head.append(title, bar(r.info.percent, r.info.status));
    const facts = el('div', 'facts');
    const status = el('span', 'status run-status st-' + r.info.status, r.info.status);
    const sf = el('div', 'fact'); sf.append(el('b', null, 'status'), status);
    facts.append(sf, fact('progress', fmtPct(r.info.percent), 'run-percent'), fact('phase', r.info.phase || '—', 'run-phase'));
    const eta = r.info.eta;
    facts.append(fact('ETA', eta ? fmtSecs(eta.seconds) + ' (' + fmtSecs(eta.low) + ' – ' + fmtSecs(eta.high) + ', '
      + Math.round(eta.confidence * 100) + '% ' + eta.method + ')' : '—', 'run-eta'));
    facts.append(fact('throughput', throughput(r), 'run-throughput'));
    facts.append(fact('events', String(r.lastSeq), 'run-seq'));
    head.append(facts);
    if (r.alerts.size) {
      const ul = el('ul', 'alerts');
      for (const a of r.alerts.values()) ul.append(el('li', 'sev-' + a.severity, a.severity + ': ' + a.message + (a.taskId ? ' (' + a.taskId + ')' : '')));
      head.append(ul);
    }
    view.append(head, taskTree(r));
  }

  function throughput(r) {
    const now = Date.parse(r.info.updatedAt || '') || Date.now();
    const recent = r.completions.filter(t => now - t <= 300000);
    if (recent.length === 0) return '—';
    const spanMin = Math.max(1, (now - Math.min(...recent)) / 60000);
    return (recent.length / spanMin).toFixed(1) + ' tasks/min';
  }

  function taskTree(r) {
    const children = new Map();
    for (const t of r.tasks.values()) {
      const p = t.parentTaskId && r.tasks.has(t.parentTaskId) ? t.parentTaskId : '';
      if (!children.has(p)) children.set(p, []);
      children.get(p).push(t);
    }
    const build = (parent) => {
      const ul = el('ul', 'tasks');
      for (const t of children.get(parent) || []) {
        const li = el('li', collapsed.has(t.taskId) ? 'collapsed' : '');
        li.dataset.taskId = t.taskId;
        const row = el('div', 'task-row');
        const kids = children.has(t.taskId);
        const toggle = el('button', 'toggle', kids ? (collapsed.has(t.taskId) ? '▸' : '▾') : '');
        if (kids) toggle.onclick = () => { collapsed.has(t.taskId) ? collapsed.delete(t.taskId) : collapsed.add(t.taskId); render(); };
        row.append(toggle, el('span', 'task-name', t.name), el('span', 'status task-status st-' + t.status, t.status),
          bar(t.percent, t.status), el('span', 'task-percent', fmtPct(t.percent)), el('span', 'task-message', t.message || ''));
        li.append(row);
        if (kids) li.append(build(t.taskId));
        ul.append(li);
      }
      return ul;
    };
    return build('');
  }

  connect();
})();
