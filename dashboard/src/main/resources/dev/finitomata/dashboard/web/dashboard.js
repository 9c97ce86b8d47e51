// The Finitomata dashboard: reads the JSON API under ./api every 2 seconds and draws what it says. No build step,
// no framework; Mermaid (served by the dashboard itself) draws the diagrams.
'use strict';

const POLL_MILLIS = 2000;
const PAGE = 50;
const view = { type: null, state: null, after: null, fsm: null, reveal: false };
let renders = 0;
const drawn = new Map(); // element id -> the Mermaid text drawn there

mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'neutral' });

const $ = (id) => document.getElementById(id);

let settings = { actions: false };

async function api(path, method, body) {
  const response = await fetch('api/' + path, method ? { method, body } : undefined);
  const answer = await response.json();
  if (!response.ok) {
    throw new Error(answer.error || ('HTTP ' + response.status));
  }
  return answer;
}

function problem(message) {
  $('problem').hidden = !message;
  $('problem').textContent = message || '';
}

function duration(millis) {
  if (millis < 1000) return millis + ' ms';
  const s = Math.floor(millis / 1000);
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
  if (s < 86400) return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
  return Math.floor(s / 86400) + ' d ' + Math.floor((s % 86400) / 3600) + ' h';
}

function node(state) {
  return state === '*' ? '[*]' : state;
}

/** Text for a Mermaid label: its labels read Markdown, so "__start__" would turn bold; #95; is an underscore. */
function label(text) {
  return text.replace(/_/g, '#95;');
}

/** The type's definition as a Mermaid state diagram, with live counts on the states and edges. */
function diagramText(type, highlight) {
  const lines = ['stateDiagram-v2'];
  for (const state of type.states) {
    const n = type.counts[state] || 0;
    lines.push(`  state "${label(state)} (${n})" as ${state}`);
  }
  for (const t of type.transitions) {
    lines.push(`  ${node(t.from)} --> ${node(t.to)} : ${label(t.event)} (${t.taken})`);
  }
  if (highlight && type.states.includes(highlight)) {
    lines.push('  classDef current fill:#ffd54f,stroke:#e65100,stroke-width:3px');
    lines.push(`  class ${highlight} current`);
  }
  return lines.join('\n');
}

async function draw(id, text) {
  if (drawn.get(id) === text) return;
  const { svg } = await mermaid.render('mermaid-' + (++renders), text);
  $(id).innerHTML = svg;
  drawn.set(id, text);
}

function row(cells, onClick, attributes) {
  const tr = document.createElement('tr');
  for (const [text, cls] of cells) {
    const td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    tr.appendChild(td);
  }
  for (const [key, value] of Object.entries(attributes || {})) tr.setAttribute(key, value);
  if (onClick) {
    tr.classList.add('clickable');
    tr.addEventListener('click', onClick);
  }
  return tr;
}

let types = [];
const filled = new WeakMap(); // table body -> what it shows, in the view it was filled for

/**
 * Puts rows in a table body, unless it shows the same rows for the same view already: a redraw on every refresh would
 * take away a person's text selection and the tooltip under the pointer (and a row their click was meant for).
 */
function fill(body, rows) {
  const shown = JSON.stringify([view.type, view.state, view.after, view.fsm]) + rows.map((r) => r.outerHTML).join('');
  if (filled.get(body) === shown) return;
  body.replaceChildren(...rows);
  filled.set(body, shown);
}

async function refresh() {
  try {
    const answer = await api('types');
    types = answer.types;
    const nav = $('types');
    nav.replaceChildren(...types.map((t) => {
      const a = document.createElement('a');
      a.textContent = t.id;
      a.dataset.type = t.id;
      a.className = t.id === view.type ? 'selected' : '';
      a.addEventListener('click', () => select(t.id, null, null));
      return a;
    }));
    if (!view.type && types.length > 0) view.type = types[0].id;
    const type = types.find((t) => t.id === view.type);
    if (type) await showType(type);
    if (type && view.state) await showState(type);
    if (type && view.fsm) await showFsm(type);
    if (view.reveal) {
      const shown = $(view.fsm ? 'fsm-view' : 'state-view');
      if (!shown.hidden) shown.scrollIntoView();
      view.reveal = false;
    }
    $('updated').textContent = 'updated ' + new Date(answer.now).toLocaleTimeString();
    problem(null);
  } catch (e) {
    problem(e.message);
  }
}

async function showType(type) {
  $('type-view').hidden = false;
  $('type-title').textContent = type.id;
  await draw('diagram', diagramText(type, null));
  fill($('counts').tBodies[0], type.states.map((s) => {
    const described = type.descriptions && type.descriptions[s] ? { title: type.descriptions[s] } : {};
    const tr = row([[s], [String(type.counts[s] || 0), 'count']], () => select(type.id, s, null),
        { 'data-state': s, ...described });
    if (s === view.state) tr.classList.add('selected');
    return tr;
  }));
  fill($('failures').tBodies[0], Object.entries(type.failures)
      .map(([stage, n]) => row([[stage], [String(n), 'n']])));
  $('counted-on').textContent = countedOn(type.countedOn);
  $('counted-on').className = type.countedOn.nodes < type.countedOn.asked ? 'note error' : 'note';
  await showCluster(type);
}

/** Where the edges' and failures' counts come from: this node, or the nodes of the cluster that answered. */
function countedOn(counted) {
  if (counted.asked === 1) return 'Transitions per edge and failures: counted on this node since its dashboard started.';
  const missing = counted.asked - counted.nodes;
  return `Transitions per edge and failures: added up over ${counted.nodes} nodes of the cluster`
      + (missing > 0 ? `; ${missing} did not answer and are left out.` : '.');
}

/** The nodes of an Infinitomata's cluster; a local supervisor has none (the API answers 404). */
async function showCluster(type) {
  const response = await fetch(`api/types/${encodeURIComponent(type.id)}/nodes`);
  if (response.status === 404) {
    $('cluster-view').hidden = true;
    return;
  }
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.error || ('HTTP ' + response.status));
  $('cluster-view').hidden = false;
  fill($('nodes').tBodies[0], answer.nodes.map((n) => {
    const tr = row([[n.address], [n.status], [n.reachable ? 'yes' : 'NO'],
      [n.fsms < 0 ? 'no answer' : String(n.fsms), 'n'], [n.shards < 0 ? 'no answer' : String(n.shards), 'n']],
    null, { 'data-node': n.address });
    if (!n.reachable) tr.classList.add('error');
    return tr;
  }));
}

async function showState(type) {
  const after = view.after ? `&afterSince=${view.after.since}&afterName=${encodeURIComponent(view.after.name)}` : '';
  const page = await api(`types/${encodeURIComponent(type.id)}/states/${encodeURIComponent(view.state)}?limit=${PAGE}${after}`);
  $('state-view').hidden = false;
  $('state-title').textContent = `${view.state}: oldest first` + (view.after ? ' (next page)' : '');
  fill($('fsms').tBodies[0], page.fsms.map((f) => row(
      [[f.name], [new Date(f.since).toISOString()], [duration(f.inStateMillis), 'n']],
      () => select(type.id, view.state, view.after, f.name), { 'data-name': f.name })));
  const next = $('next-page');
  next.hidden = page.fsms.length < PAGE;
  next.onclick = () => {
    const last = page.fsms[page.fsms.length - 1];
    select(type.id, view.state, { since: last.since, name: last.name });
  };
}

async function showFsm(type) {
  let fsm;
  try {
    fsm = await api(`types/${encodeURIComponent(type.id)}/fsms/${encodeURIComponent(view.fsm)}`);
  } catch (e) {
    $('fsm-view').hidden = false;
    $('fsm-title').textContent = view.fsm;
    $('fsm-state').textContent = e.message;
    return;
  }
  $('fsm-view').hidden = false;
  $('fsm-title').textContent = fsm.name;
  $('fsm-state').textContent = fsm.running ? fsm.state : 'not running (finished, stopped, or not started since a restart)';
  $('fsm-payload').textContent = fsm.running ? JSON.stringify(fsm.payload, null, 2) : '';
  $('fsm-error').hidden = !fsm.lastError;
  $('fsm-error').textContent = fsm.lastError ? `last error (${fsm.lastError.stage}): ${fsm.lastError.reason}` : '';
  $('fsm-node').textContent = fsm.running ? fsm.node : '';
  $('fsm-scheduled').replaceChildren(...scheduled(fsm).map((text) => {
    const li = document.createElement('li');
    li.textContent = text;
    return li;
  }));
  await draw('fsm-diagram', diagramText(type, fsm.running ? fsm.state : null));
  const history = fsm.history || [];
  fill($('history').tBodies[0], fsm.historyError ? [row([[fsm.historyError, 'error']])] : history.map((e) => {
    const child = forkedChild(e.event); // a fork's entry opens the child it started
    return row([[String(e.sequenceNr), 'n'], [new Date(e.at).toISOString()], [e.from], [e.event], [e.to]],
        child && (() => select(child.type, null, null, child.name)),
        child && {'data-child': child.type + '/' + child.name, title: 'open ' + child.name + ' (' + child.type + ')'});
  }));
  showActions(type, fsm);
}

/** The child FSM a history entry forked (its event is "__fork__:<supervisor>/<child>"), or null. */
function forkedChild(event) {
  if (!event.startsWith('__fork__:')) return null;
  const rest = event.slice('__fork__:'.length);
  const slash = rest.indexOf('/');
  return slash < 0 ? null : {type: rest.slice(0, slash), name: rest.slice(slash + 1)};
}

/** What the FSM has scheduled: its pending delayed transitions, earliest first, then its timer. */
function scheduled(fsm) {
  if (!fsm.running) return [];
  const now = Date.now();
  const when = (at) => `${new Date(at).toISOString()} (in ${duration(Math.max(0, at - now))})`;
  const lines = (fsm.delays || []).map((d) => `delayed event ${d.event} due ${when(d.dueAt)}`);
  if (fsm.timer) lines.push(`timer every ${duration(fsm.timer.intervalMillis)}, next tick ${when(fsm.timer.nextTick)}`);
  return lines.length ? lines : ['nothing'];
}

/** Manual actions (only when the server allows them; it refuses them otherwise, whatever the page sends). */
function showActions(type, fsm) {
  $('actions').hidden = !(settings.actions && fsm.running);
  if ($('actions').hidden) return;
  const base = `types/${encodeURIComponent(type.id)}/fsms/${encodeURIComponent(fsm.name)}`;
  const shown = Array.from($('event-buttons').children).map((b) => b.dataset.event).join(',');
  if (shown !== fsm.accepts.join(',')) {
    $('event-buttons').replaceChildren(...fsm.accepts.map((event) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = 'send ' + event;
      b.dataset.event = event;
      b.addEventListener('click', () => act(`${base}/events/${encodeURIComponent(event)}`, 'POST',
          $('event-payload').value, `sent ${event}`));
      return b;
    }));
  }
  $('stop').onclick = () => confirm(`Stop ${fsm.name}? Its state stays in the journal.`)
      && act(`${base}/stop`, 'POST', '', 'stopped');
  $('delete').onclick = () => confirm(`Delete ${fsm.name}? Its journal is erased.`)
      && act(base, 'DELETE', '', 'deleted');
}

async function act(path, method, body, done) {
  try {
    await api(path, method, body);
    $('action-result').textContent = done;
    $('action-result').className = '';
  } catch (e) {
    $('action-result').textContent = e.message;
    $('action-result').className = 'error';
  }
  refresh();
}

function select(type, state, after, fsm) {
  view.type = type;
  view.state = state;
  view.after = after;
  view.fsm = fsm || null;
  view.reveal = Boolean(state || fsm); // scrolled to once drawn
  window.history.replaceState(null, '', '#' + [type, state || '', fsm || ''].map(encodeURIComponent).join('/'));
  $('state-view').hidden = !state;
  $('fsm-view').hidden = !fsm;
  refresh();
}

/** A link to a view: #type, #type/state, #type/state/fsm or #type//fsm (what select() writes). */
function fromLink() {
  const [type, state, fsm] = location.hash.slice(1).split('/').map(decodeURIComponent);
  if (!type) return;
  view.type = type;
  view.state = state || null;
  view.fsm = fsm || null;
  view.reveal = Boolean(view.state || view.fsm);
  $('state-view').hidden = !view.state;
  $('fsm-view').hidden = !view.fsm;
}

fromLink();
window.addEventListener('hashchange', () => { fromLink(); refresh(); });
api('settings').then((s) => { settings = s; }).catch(() => {}).finally(() => {
  refresh();
  setInterval(refresh, POLL_MILLIS);
});
