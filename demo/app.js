// The browser demo: a Session from the built bundle, against the server that serves this page.
import { Session, SchemaFidelityError, MplError, semanticHash } from '/dist/index.js';

const STYPES = ['org.calendar.Event.v1', 'org.agent.TaskPlan.v1', 'org.agent.TaskResult.v1', 'org.agent.Heartbeat.v1'];
const FIELDS = { title: 'title', start: 'start', duration_minutes: 'duration', attendees: 'attendees' };

const $ = (id) => document.getElementById(id);
const shortHash = (hash) => (hash ? `${hash.slice(0, 15)}…` : '(no hash)');
let session;

function setStatus(state, text) {
  $('status').dataset.state = state;
  $('status').textContent = text;
  $('send').disabled = state !== 'connected';
  $('connect').textContent = state === 'connected' ? 'Disconnect' : 'Connect';
}

function tags(element, values) {
  element.replaceChildren(...values.map((v) => Object.assign(document.createElement('span'), { className: 'tag', textContent: v })));
  if (!values.length) element.textContent = '(none)';
}

/** `{a: {b: 1}}` as lines `a.b: 1`. */
function flatten(value, prefix = '') {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${prefix}: ${Array.isArray(value) ? value.join(', ') : value}`];
  const entries = Object.entries(value);
  return entries.length ? entries.flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k)) : [prefix ? `${prefix}: {}` : '(none)'];
}

function list(element, lines) {
  const ul = document.createElement('ul');
  ul.append(...lines.map((text) => Object.assign(document.createElement('li'), { textContent: text })));
  element.replaceChildren(ul);
}

/** The reply's QoM report as the SDK reads it (any peer's layout): the reporter's verdict and its metrics. */
async function showQom(report) {
  const dd = $('reply-qom');
  if (!report) {
    dd.textContent = '(none)';
    return;
  }
  // mpl-sdk/qom: the Session already loaded it to check this report against the negotiated profile.
  const { readQomReport } = await import('/dist/qom.js');
  const reading = readQomReport(report);
  const verdict = document.createElement('div');
  verdict.textContent = `${reading.reportedBreach ? 'misses' : 'meets'} ${reading.profile ?? 'its profile'}`;
  const metrics = Object.entries(reading.metrics).map(([name, value]) => {
    const tag = Object.assign(document.createElement('span'), { className: 'metric', textContent: `${name} ${value}` });
    tag.dataset.value = String(value);
    return tag;
  });
  dd.replaceChildren(verdict, ...metrics);
}

function log(direction, stype, hash, text) {
  const item = document.createElement('li');
  const time = Object.assign(document.createElement('time'), { textContent: new Date().toLocaleTimeString() });
  const type = Object.assign(document.createElement('span'), { className: `stype ${direction}`, textContent: `${direction === 'out' ? '→' : '←'} ${stype}` });
  const digest = Object.assign(document.createElement('span'), { className: 'hash', textContent: shortHash(hash) });
  const body = Object.assign(document.createElement('span'), { textContent: text });
  item.append(time, type, digest, body);
  $('log').prepend(item);
}

function showConnectError(error) {
  setStatus('error', 'failed');
  $('connect-error').textContent = `${error.code ?? error.name}: ${error.message}`;
  $('connect-error').hidden = false;
  session = undefined;
}

async function connect(endpoint) {
  setStatus('connecting', 'connecting…');
  $('connect-error').hidden = true;
  try {
    session = makeSession(endpoint); // a URL that is not ws/wss/http/https is refused here
  } catch (error) {
    showConnectError(error);
    return;
  }
  try {
    const caps = await session.connect();
    tags($('caps-stypes'), caps.commonStypes);
    $('caps-profile').textContent = caps.selectedProfile ?? '(none)';
    list($('caps-extensions'), flatten(caps.serverExtensions));
    setStatus('connected', 'connected');
    session.listen().then(() => setStatus('idle', 'disconnected'));
  } catch (error) {
    showConnectError(error);
  }
}

function makeSession(endpoint) {
  const session = new Session({
    endpoint,
    stypes: STYPES,
    qomProfile: 'qom-basic',
    onError: (error, { source }) => log('in', source, undefined, `${error.code ?? error.name}: ${error.message}`),
  });
  session.onMessage('org.agent.TaskPlan.v1', async (envelope) => {
    const plan = envelope.getPayload();
    log('in', envelope.stype, envelope.semHash, `${plan.title}: ${plan.objective}`);
    const result = { plan_id: plan.id, status: 'completed', output: { summary: 'Done in the browser' } };
    await session.send('org.agent.TaskResult.v1', result);
    log('out', 'org.agent.TaskResult.v1', await semanticHash(result), `answered ${plan.id}`);
  });
  session.onMessage('org.agent.Heartbeat.v1', (envelope) => log('in', envelope.stype, envelope.semHash, `heartbeat: ${envelope.getPayload().status}`));
  session.onMessage('org.calendar.Event.v1', (envelope) => log('in', envelope.stype, envelope.semHash, `event: ${envelope.getPayload().title}`));
  return session;
}

function readEvent() {
  const form = new FormData($('event-form'));
  const event = { title: String(form.get('title')), start: String(form.get('start')).trim() };
  const duration = String(form.get('duration')).trim();
  if (duration !== '') event.duration_minutes = Number(duration);
  const attendees = String(form.get('attendees')).split(/[,\s]+/).filter(Boolean);
  if (attendees.length) event.attendees = attendees;
  return event;
}

function clearErrors() {
  for (const p of document.querySelectorAll('.field-error')) p.textContent = '';
  for (const input of document.querySelectorAll('#event-form input')) input.removeAttribute('aria-invalid');
}

/** Puts each validation issue next to the field its path points at. */
function showIssues(issues) {
  for (const { path, message } of issues) {
    const [, top, index] = path.split('/');
    const missing = /['"`]?(\w+)['"`]?\s*$/.exec(message)?.[1];
    const field = FIELDS[top] ?? FIELDS[missing] ?? 'form';
    const target = $(`${field}-error`);
    const text = index === undefined ? message : `attendee ${Number(index) + 1}: ${message}`;
    target.textContent = target.textContent ? `${target.textContent}; ${text}` : text;
    $(field)?.setAttribute('aria-invalid', 'true');
  }
}

async function sendEvent() {
  clearErrors();
  const event = readEvent();
  try {
    const reply = await session.send('org.calendar.Event.v1', event);
    const payload = reply.getPayload();
    const sentHash = await semanticHash(event);
    $('request-hash').textContent = sentHash;
    log('out', 'org.calendar.Event.v1', sentHash, `sent "${event.title}"`);
    $('reply-summary').textContent = `${reply.stype}${payload.status ? ` · ${payload.status}` : ''}${payload.id ? ` as ${payload.id}` : ''}`;
    $('reply-hash').textContent = reply.semHash ?? '(none)';
    await showQom(reply.qomReport);
    $('reply-payload').textContent = JSON.stringify(payload, null, 2);
  } catch (error) {
    if (error instanceof SchemaFidelityError) showIssues(error.validationErrors);
    else $('form-error').textContent = error instanceof MplError ? `${error.code}: ${error.message}` : String(error);
  }
}

$('endpoint').value = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
$('connect-form').addEventListener('submit', (e) => {
  e.preventDefault();
  if (session?.isConnected) void session.close();
  else void connect($('endpoint').value);
});
$('event-form').addEventListener('submit', (e) => {
  e.preventDefault();
  void sendEvent();
});
void connect($('endpoint').value);
