// Tributary web console: publish the camera over WHIP (RFC 9725), play a stream over WHEP,
// watch live WebRTC statistics and the cluster. Plain JavaScript served by the node itself,
// with no dependency: the page talks to its own node only (its CSP allows nothing else).
//
// Publishing and playing are non-trickle: the offer is sent once ICE gathering is complete (or
// after a short wait), since the node is ICE-lite and answers with all of its candidates.
//
// For tests and for poking around in the developer tools, `window.tributaryConsole` exposes the
// current sessions (`.publisher`, `.player`, each with its RTCPeerConnection as `.pc`) and the
// last statistics shown (`.stats.publish`, `.stats.play`).

const STATS_INTERVAL_MS = 1000;
const CLUSTER_INTERVAL_MS = 5000;
const ICE_GATHERING_TIMEOUT_MS = 2000;
const DEFAULT_RETRY_SECONDS = 2;
const MAX_RETRY_SECONDS = 30;
const MAX_REASON_CHARS = 300;

const byId = (id) => document.getElementById(id);

// --- small helpers --------------------------------------------------------------------------

// "/whip/live/cam?vhost=acme": the WHIP or WHEP endpoint of a stream on this node.
function endpointPath(kind, app, stream, vhost) {
  let path = `/${kind}/${encodeURIComponent(app)}/${encodeURIComponent(stream)}`;
  if (vhost) path += `?vhost=${encodeURIComponent(vhost)}`;
  return path;
}

function authHeaders(token) {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

// Seconds to wait from a Retry-After value (delta-seconds or an HTTP date), within 1..30.
function retryAfterSeconds(value) {
  let seconds = DEFAULT_RETRY_SECONDS;
  if (value) {
    const trimmed = value.trim();
    if (/^\d+$/.test(trimmed)) {
      seconds = Number(trimmed);
    } else {
      const when = Date.parse(trimmed);
      if (!Number.isNaN(when)) seconds = Math.ceil((when - Date.now()) / 1000);
    }
  }
  return Math.min(MAX_RETRY_SECONDS, Math.max(1, seconds));
}

// "404 Not Found: no resource at '/whip/live/cam'": the status and the server's reason (the
// "error" of our JSON errors, or the start of a text body).
async function describeFailure(response) {
  const head = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  let reason = '';
  try {
    const text = (await response.text()).trim();
    if (text) {
      try {
        const json = JSON.parse(text);
        reason = json && typeof json.error === 'string' ? json.error : text;
      } catch {
        reason = text;
      }
    }
  } catch {
    // no body: the status says it all
  }
  if (reason.length > MAX_REASON_CHARS) reason = `${reason.slice(0, MAX_REASON_CHARS)}…`;
  return reason && reason !== response.statusText ? `${head}: ${reason}` : head;
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new DOMException('stopped', 'AbortError'));
    }, { once: true });
  });
}

// Resolves once the ICE agent has gathered every candidate, or after `timeoutMs`.
function iceGatheringComplete(pc, timeoutMs) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', onChange);
      resolve();
    };
    const onChange = () => { if (pc.iceGatheringState === 'complete') done(); };
    const timer = setTimeout(done, timeoutMs);
    pc.addEventListener('icegatheringstatechange', onChange);
  });
}

function formatBitrate(bitsPerSecond) {
  if (bitsPerSecond == null || !Number.isFinite(bitsPerSecond)) return '–';
  if (bitsPerSecond >= 1e6) return `${(bitsPerSecond / 1e6).toFixed(2)} Mbit/s`;
  return `${Math.round(bitsPerSecond / 1e3)} kbit/s`;
}

function formatNumber(value, digits = 0) {
  if (value == null || !Number.isFinite(value)) return '–';
  return digits ? value.toFixed(digits) : Math.round(value).toLocaleString('en-US');
}

function formatDuration(seconds) {
  if (seconds == null || !Number.isFinite(seconds)) return '–';
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return `${d}d ${h}h ${m}m`;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

// --- status lines -----------------------------------------------------------------------------

// A status paragraph: state is idle, working, live or error (styled by console.css).
class StatusLine {
  constructor(element) {
    this.element = element;
  }

  set(state, text) {
    this.element.dataset.state = state;
    this.element.textContent = text;
  }
}

// --- WebRTC statistics ----------------------------------------------------------------------

// One getStats() sample reduced to what the console shows, per media kind.
async function sampleStats(pc, sending) {
  const report = await pc.getStats();
  const sample = {
    time: performance.now(),
    video: { bytes: 0, packets: 0, frames: 0, fps: null, width: null, height: null, lost: 0 },
    audio: { bytes: 0, packets: 0, lost: 0 },
    rtt: null,
  };
  let selectedPairId = null;
  report.forEach((s) => {
    if (s.type === 'transport' && s.selectedCandidatePairId) selectedPairId = s.selectedCandidatePairId;
  });
  report.forEach((s) => {
    const kind = s.kind || s.mediaType;
    const media = kind === 'video' || kind === 'audio' ? sample[kind] : null;
    if (sending && s.type === 'outbound-rtp' && media) {
      media.bytes += s.bytesSent || 0;
      media.packets += s.packetsSent || 0;
      if (kind === 'video') {
        media.frames += s.framesEncoded || 0;
        if (s.framesPerSecond != null) media.fps = s.framesPerSecond;
        if (s.frameWidth) [media.width, media.height] = [s.frameWidth, s.frameHeight];
      }
    } else if (sending && s.type === 'remote-inbound-rtp' && media) {
      media.lost += s.packetsLost || 0;
      if (sample.rtt == null && s.roundTripTime != null) sample.rtt = s.roundTripTime;
    } else if (!sending && s.type === 'inbound-rtp' && media) {
      media.bytes += s.bytesReceived || 0;
      media.packets += s.packetsReceived || 0;
      media.lost += s.packetsLost || 0;
      if (kind === 'video') {
        media.frames += s.framesDecoded || 0;
        if (s.framesPerSecond != null) media.fps = s.framesPerSecond;
        if (s.frameWidth) [media.width, media.height] = [s.frameWidth, s.frameHeight];
      }
    } else if (s.type === 'candidate-pair' && s.currentRoundTripTime != null) {
      const selected = selectedPairId ? s.id === selectedPairId : s.nominated && s.state === 'succeeded';
      if (selected) sample.rtt = s.currentRoundTripTime;
    }
  });
  return sample;
}

// The statistics table of a session, refreshed every second from getStats().
class StatsView {
  constructor(table, key) {
    this.table = table;
    this.key = key;  // 'publish' or 'play': where window.tributaryConsole.stats keeps the values
    this.previous = null;
  }

  cell(name) {
    return this.table.querySelector(`[data-stat="${name}"]`);
  }

  show(values) {
    for (const [name, text] of Object.entries(values)) {
      const cell = this.cell(name);
      if (cell) cell.textContent = text;
    }
  }

  clear() {
    this.previous = null;
    for (const cell of this.table.querySelectorAll('[data-stat]')) cell.textContent = '–';
  }

  update(sample) {
    const previous = this.previous;
    this.previous = sample;
    const seconds = previous ? (sample.time - previous.time) / 1000 : 0;
    const rate = (now, before) => (seconds > 0 ? ((now - before) * 8) / seconds : null);
    const videoBitrate = previous ? rate(sample.video.bytes, previous.video.bytes) : null;
    const audioBitrate = previous ? rate(sample.audio.bytes, previous.audio.bytes) : null;
    const lost = sample.video.lost + sample.audio.lost;
    const values = {
      videoBitrate,
      audioBitrate,
      frameRate: sample.video.fps,
      frames: sample.video.frames,
      width: sample.video.width,
      height: sample.video.height,
      packetsLost: lost,
      rttSeconds: sample.rtt,
    };
    window.tributaryConsole.stats[this.key] = values;
    this.show({
      'video-bitrate': formatBitrate(videoBitrate),
      'audio-bitrate': formatBitrate(audioBitrate),
      'frame-rate': sample.video.fps == null ? '–' : `${formatNumber(sample.video.fps, 1)} fps`,
      frames: formatNumber(sample.video.frames),
      resolution: sample.video.width ? `${sample.video.width}×${sample.video.height}` : '–',
      'packets-lost': formatNumber(lost),
      rtt: sample.rtt == null ? '–' : `${formatNumber(sample.rtt * 1000, 1)} ms`,
    });
  }
}

// --- WHIP and WHEP sessions -----------------------------------------------------------------

// One WHIP (publish) or WHEP (play) session: an RTCPeerConnection whose offer is POSTed to the
// endpoint, and the resource the server created for it (DELETEd on stop).
class MediaSession {
  constructor({ kind, path, token, status, statsView, onEnded }) {
    this.kind = kind;  // 'whip' | 'whep'
    this.label = kind.toUpperCase();
    this.path = path;
    this.token = token;
    this.status = status;
    this.statsView = statsView;
    this.onEnded = onEnded;
    this.pc = null;
    this.resourceUrl = null;
    this.etag = null;
    this.stream = null;
    this.abort = new AbortController();
    this.stopped = false;
    this.statsTimer = null;
  }

  checkStopped() {
    if (this.stopped) throw new DOMException('stopped', 'AbortError');
  }

  createPeerConnection() {
    if (typeof RTCPeerConnection === 'undefined') {
      throw new Error('this browser has no WebRTC (RTCPeerConnection)');
    }
    this.pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    this.pc.addEventListener('connectionstatechange', () => this.onConnectionState());
    return this.pc;
  }

  // Sends the offer, retrying on 409 and 503 when `retry` (WHEP: the stream is not there yet),
  // and applies the answer.
  async negotiate(retry) {
    const pc = this.pc;
    await pc.setLocalDescription(await pc.createOffer());
    this.status.set('working', 'Gathering ICE candidates…');
    await iceGatheringComplete(pc, ICE_GATHERING_TIMEOUT_MS);
    this.checkStopped();
    const offer = pc.localDescription.sdp;
    for (let attempt = 1; ; ++attempt) {
      this.status.set('working', `Sending the offer to ${this.path}${attempt > 1 ? ` (attempt ${attempt})` : ''}…`);
      let response;
      try {
        response = await fetch(this.path, {
          method: 'POST',
          headers: { 'Content-Type': 'application/sdp', Accept: 'application/sdp', ...authHeaders(this.token) },
          body: offer,
          signal: this.abort.signal,
          cache: 'no-store',
        });
      } catch (error) {
        if (error.name === 'AbortError') throw error;
        throw new Error(`${this.label} request to ${this.path} failed: ${error.message}`);
      }
      this.checkStopped();
      if (response.status === 201 || response.status === 200) {
        const location = response.headers.get('Location');
        if (location) this.resourceUrl = new URL(location, response.url).href;
        this.etag = response.headers.get('ETag');
        const answer = await response.text();
        this.checkStopped();
        await pc.setRemoteDescription({ type: 'answer', sdp: answer });
        return;
      }
      const failure = await describeFailure(response);
      if (retry && (response.status === 409 || response.status === 503)) {
        const wait = retryAfterSeconds(response.headers.get('Retry-After'));
        this.status.set('working', `${this.label} ${failure}; retrying in ${wait} s…`);
        await sleep(wait * 1000, this.abort.signal);
        this.checkStopped();
        continue;
      }
      throw new Error(`${this.label} request failed: ${failure}`);
    }
  }

  // After the answer: says so, unless the connection came up meanwhile.
  connecting() {
    if (this.pc.connectionState !== 'connected') {
      this.status.set('working', 'Offer accepted, connecting (ICE, DTLS)…');
    }
  }

  onConnectionState() {
    if (this.stopped || !this.pc) return;
    const state = this.pc.connectionState;
    if (state === 'connected') {
      this.status.set('live', this.liveText());
    } else if (state === 'failed') {
      this.status.set('error', 'Connection failed (ICE or DTLS): the media path to the node did not come up');
      this.stop({ keepStatus: true });
    } else if (state === 'disconnected') {
      this.status.set('working', 'Connection interrupted, waiting for it to come back…');
    } else if (state === 'connecting') {
      this.status.set('working', 'Connecting (ICE, DTLS)…');
    }
  }

  startStats() {
    this.statsView.clear();
    this.statsTimer = setInterval(async () => {
      if (!this.pc || this.stopped) return;
      try {
        this.statsView.update(await sampleStats(this.pc, this.kind === 'whip'));
      } catch {
        // the connection is closing
      }
    }, STATS_INTERVAL_MS);
  }

  async run() {
    try {
      await this.setUp();
      this.startStats();
    } catch (error) {
      if (error.name === 'AbortError' || this.stopped) return;  // stopped by the user
      this.status.set('error', error.message || String(error));
      await this.stop({ keepStatus: true });
    }
  }

  // DELETEs the resource first (RFC 9725: that is how a client ends a session), then closes the
  // connection: closing first would end the session by DTLS close_notify and leave the DELETE
  // nothing to delete.
  async stop({ keepStatus = false } = {}) {
    if (this.stopped) return;
    this.stopped = true;
    this.abort.abort();
    clearInterval(this.statsTimer);
    const resource = this.resourceUrl;
    this.resourceUrl = null;
    if (!keepStatus) this.status.set('working', 'Stopping…');
    let outcome = { state: 'idle', text: 'Stopped' };
    if (resource) {
      try {
        const response = await fetch(resource, { method: 'DELETE', headers: authHeaders(this.token), keepalive: true });
        if (response.status === 404) {
          outcome.text = 'Stopped (the node had already ended the session)';
        } else if (!response.ok) {
          outcome = { state: 'error', text: `Stopped; DELETE ${resource} answered ${await describeFailure(response)}` };
        }
      } catch (error) {
        outcome = { state: 'error', text: `Stopped; DELETE ${resource} failed: ${error.message}` };
      }
    }
    if (this.stream) for (const track of this.stream.getTracks()) track.stop();
    if (this.pc) this.pc.close();
    if (!keepStatus) this.status.set(outcome.state, outcome.text);
    this.onEnded(this);
  }
}

class Publisher extends MediaSession {
  constructor(options, { camera, microphone, preview }) {
    super({ kind: 'whip', ...options });
    this.camera = camera;
    this.microphone = microphone;
    this.preview = preview;
  }

  liveText() {
    const kinds = this.stream.getTracks().map((t) => (t.kind === 'video' ? 'camera' : 'microphone'));
    return `Publishing ${kinds.join(' and ')} to ${this.path}`;
  }

  async setUp() {
    if (!this.camera && !this.microphone) throw new Error('Choose the camera, the microphone or both');
    if (!navigator.mediaDevices?.getUserMedia) {
      throw new Error('This page cannot use the camera or microphone: browsers allow it only over HTTPS or on localhost');
    }
    this.status.set('working', 'Asking for the camera and microphone…');
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({
        audio: this.microphone,
        video: this.camera ? { width: { ideal: 1280 }, height: { ideal: 720 } } : false,
      });
    } catch (error) {
      throw new Error(`No access to the camera or microphone: ${error.name}: ${error.message}`);
    }
    this.checkStopped();
    this.preview.srcObject = this.stream;
    const pc = this.createPeerConnection();
    for (const track of this.stream.getTracks()) {
      pc.addTransceiver(track, { direction: 'sendonly', streams: [this.stream] });
    }
    await this.negotiate(false);
    this.connecting();
  }
}

class Player extends MediaSession {
  constructor(options, { video }) {
    super({ kind: 'whep', ...options });
    this.video = video;
  }

  liveText() {
    return `Playing ${this.path}`;
  }

  async setUp() {
    const pc = this.createPeerConnection();
    pc.addTransceiver('audio', { direction: 'recvonly' });
    pc.addTransceiver('video', { direction: 'recvonly' });
    this.stream = new MediaStream();
    pc.addEventListener('track', (event) => {
      this.stream.addTrack(event.track);
      if (this.video.srcObject !== this.stream) this.video.srcObject = this.stream;
      this.video.play().catch(() => {
        // autoplay refused: the controls let the user start it
      });
    });
    await this.negotiate(true);
    this.connecting();
  }
}

// --- the publish and play panels ------------------------------------------------------------

function readStreamForm(prefix) {
  const app = byId(`${prefix}-app`).value.trim();
  const stream = byId(`${prefix}-stream`).value.trim();
  const vhost = byId(`${prefix}-vhost`).value.trim();
  const token = byId(`${prefix}-token`).value.trim();
  return { app, stream, vhost, token };
}

function setUpPanel(prefix, kind, makeSession) {
  const form = byId(`${prefix}-form`);
  const startButton = byId(`${prefix}-start`);
  const stopButton = byId(`${prefix}-stop`);
  const status = new StatusLine(byId(`${prefix}-status`));
  const statsView = new StatsView(byId(`${prefix}-stats`), prefix);
  const slot = prefix === 'publish' ? 'publisher' : 'player';

  const ended = (session) => {
    if (window.tributaryConsole[slot] === session) window.tributaryConsole[slot] = null;
    startButton.disabled = false;
    stopButton.disabled = true;
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (window.tributaryConsole[slot]) return;
    const { app, stream, vhost, token } = readStreamForm(prefix);
    if (!app || !stream) {
      status.set('error', 'App and stream are both required');
      return;
    }
    const session = makeSession({
      path: endpointPath(kind, app, stream, vhost),
      token,
      status,
      statsView,
      onEnded: ended,
    });
    window.tributaryConsole[slot] = session;
    startButton.disabled = true;
    stopButton.disabled = false;
    session.run();
  });

  stopButton.addEventListener('click', () => {
    window.tributaryConsole[slot]?.stop();
  });
}

// --- the cluster view -----------------------------------------------------------------------

// GET a JSON resource of this node: {status, data} or {status, error}.
async function getJson(path, token) {
  try {
    const response = await fetch(path, { headers: { Accept: 'application/json', ...authHeaders(token) }, cache: 'no-store' });
    if (!response.ok) return { status: response.status, error: await describeFailure(response) };
    return { status: response.status, data: await response.json() };
  } catch (error) {
    return { status: 0, error: error.message || String(error) };
  }
}

function element(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text != null) node.textContent = text;
  return node;
}

function note(text) {
  return element('p', { class: 'muted' }, text);
}

const GOOD_STATES = new Set(['ok', 'alive', 'up', 'live', 'connected', 'healthy', 'active', 'online']);
const BAD_STATES = new Set(['dead', 'down', 'failed', 'unreachable', 'offline', 'error']);
const STATE_KEYS = new Set(['status', 'state', 'alive', 'health', 'healthy']);

function formatCell(key, value) {
  if (value == null) return document.createTextNode('–');
  if (STATE_KEYS.has(key)) {
    const text = typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);
    const good = value === true || GOOD_STATES.has(text.toLowerCase());
    const bad = value === false || BAD_STATES.has(text.toLowerCase());
    return element('span', { class: `badge${good ? ' ok' : bad ? ' bad' : ''}` }, text);
  }
  let text;
  if (typeof value === 'boolean') text = value ? 'yes' : 'no';
  else if (typeof value === 'number' && key.endsWith('_seconds')) text = formatDuration(value);
  else if (typeof value === 'number' && key.endsWith('_bps')) text = formatBitrate(value);
  else if (typeof value === 'number') text = value.toLocaleString('en-US');
  else if (Array.isArray(value)) text = value.every((v) => v === null || typeof v !== 'object') ? value.join(', ') : String(value.length);
  else if (typeof value === 'object') text = JSON.stringify(value);
  else text = String(value);
  if (text.length > 120) text = `${text.slice(0, 120)}…`;
  return document.createTextNode(text);
}

// A table of objects, one row each; the columns are their keys, the usual ones first.
const PREFERRED_COLUMNS = ['id', 'node', 'role', 'region', 'url', 'status', 'state', 'alive', 'vhost', 'app', 'stream',
  'owner', 'origin', 'publisher', 'viewers', 'sessions', 'streams', 'load'];

function table(rows, label) {
  const columns = [];
  for (const row of rows) {
    for (const key of Object.keys(row ?? {})) if (!columns.includes(key)) columns.push(key);
  }
  const rank = (key) => {
    const index = PREFERRED_COLUMNS.indexOf(key);
    return index < 0 ? PREFERRED_COLUMNS.length : index;
  };
  columns.sort((a, b) => rank(a) - rank(b));
  const wrapper = element('div', { class: 'table-scroll' });
  const t = element('table', { 'aria-label': label });
  const head = t.createTHead().insertRow();
  for (const column of columns) head.appendChild(element('th', { scope: 'col' }, column.replaceAll('_', ' ')));
  const body = t.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const column of columns) tr.insertCell().appendChild(formatCell(column, row?.[column]));
  }
  wrapper.appendChild(t);
  return wrapper;
}

function facts(object) {
  const dl = element('dl', { class: 'facts' });
  for (const [key, value] of Object.entries(object)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) continue;
    if (Array.isArray(value) && value.some((v) => v !== null && typeof v === 'object')) continue;
    dl.appendChild(element('dt', {}, key.replaceAll('_', ' ')));
    const dd = element('dd');
    dd.appendChild(formatCell(key, value));
    dl.appendChild(dd);
  }
  return dl;
}

// Every array of objects in `data` (or `data` itself when it is one), each as a titled table.
function tablesOf(data, fallbackLabel) {
  if (Array.isArray(data)) return [[fallbackLabel, data]];
  const found = [];
  for (const [key, value] of Object.entries(data ?? {})) {
    if (Array.isArray(value) && value.some((v) => v !== null && typeof v === 'object')) found.push([key, value]);
  }
  return found;
}

function unavailable(path, result) {
  if (result.status === 404) return note(`Not available on this node (GET ${path} answered 404).`);
  if (result.status === 401 || result.status === 403) {
    return note(`GET ${path} needs an admin token (${result.error}).`);
  }
  return note(`GET ${path} failed: ${result.error}`);
}

function renderHealth(container, result) {
  container.replaceChildren();
  if (!result.data) {
    container.appendChild(unavailable('/api/v1/health', result));
    return;
  }
  container.appendChild(facts(result.data));
}

// One row per node of a /api/v1/cluster answer: this node first, then its peers, origins and
// edges (origin: {"node", "role", "region", "peers": [...], "edges": [...], "directory": {...}};
// edge: {"node", ..., "origins": [...]}); any other array of objects is shown as its own table.
const NODE_LISTS = { peers: 'origin', origins: 'origin', edges: 'edge', nodes: null };

function clusterNodeRows(data) {
  const rows = [];
  if (data.node) rows.push({ id: data.node, role: data.role, region: data.region, state: 'this node' });
  for (const [key, role] of Object.entries(NODE_LISTS)) {
    if (!Array.isArray(data[key])) continue;
    for (const node of data[key]) {
      if (node && typeof node === 'object') rows.push(role && !node.role ? { role, ...node } : node);
    }
  }
  return rows;
}

function renderNodes(container, result, health) {
  container.replaceChildren();
  if (!result.data) {
    container.appendChild(unavailable('/api/v1/cluster', result));
    if (health) {
      container.appendChild(note('This node:'));
      container.appendChild(table([{ id: health.node, role: health.role, region: health.region, status: health.status }], 'This node'));
    }
    return;
  }
  const data = result.data;
  const rows = Array.isArray(data) ? data : clusterNodeRows(data);
  if (rows.length) {
    container.appendChild(table(rows, 'Nodes'));
  } else {
    container.appendChild(note('No nodes reported.'));
  }
  if (Array.isArray(data)) return;
  const details = {};
  for (const [key, value] of Object.entries(data)) {
    if (['node', 'role', 'region'].includes(key) || key in NODE_LISTS) continue;
    details[key] = value;
  }
  if (data.directory && typeof data.directory === 'object') {
    // Its streams are in the streams view below.
    for (const [key, value] of Object.entries(data.directory)) {
      if (key !== 'streams') details[`directory_${key}`] = value;
    }
  }
  const scalars = facts(details);
  if (scalars.childElementCount) container.appendChild(scalars);
  for (const [label, list] of tablesOf(details, 'more')) {
    container.appendChild(element('h4', {}, `${label.replaceAll('_', ' ')} (${list.length})`));
    container.appendChild(table(list, label));
  }
}

function viewersOf(row) {
  for (const key of ['viewers', 'consumers', 'players', 'sessions']) {
    const value = row?.[key];
    if (typeof value === 'number') return value;
    if (Array.isArray(value)) return value.length;
  }
  return 0;
}

// The streams of /api/v1/streams or, on a node without it, of the origin's stream directory.
function renderStreams(container, result, cluster) {
  container.replaceChildren();
  let rows;
  if (result.data) {
    const tables = tablesOf(result.data, 'streams');
    rows = tables.length ? tables[0][1] : [];
  } else if (Array.isArray(cluster?.directory?.streams)) {
    container.appendChild(note(`GET /api/v1/streams answered ${result.status || 'nothing'}: showing the cluster's stream directory.`));
    rows = cluster.directory.streams;
  } else {
    container.appendChild(unavailable('/api/v1/streams', result));
    return;
  }
  const viewers = rows.reduce((sum, row) => sum + viewersOf(row), 0);
  container.appendChild(note(`${rows.length} stream${rows.length === 1 ? '' : 's'}, ${viewers} viewer${viewers === 1 ? '' : 's'}`));
  if (rows.length) container.appendChild(table(rows, 'Streams'));
}

async function refreshCluster() {
  const token = byId('cluster-token').value.trim();
  const [health, cluster, streams] = await Promise.all([
    getJson('/api/v1/health', token),
    getJson('/api/v1/cluster', token),
    getJson('/api/v1/streams', token),
  ]);
  renderHealth(byId('cluster-health'), health);
  renderNodes(byId('cluster-nodes'), cluster, health.data);
  renderStreams(byId('cluster-streams'), streams, cluster.data);
  const summary = byId('node-summary');
  if (health.data) {
    const h = health.data;
    summary.textContent = `Node ${h.node} · ${h.role} · region ${h.region || '–'} · version ${h.version} · up ${formatDuration(h.uptime_seconds)}`;
    document.title = `Tributary console: ${h.node}`;
  } else {
    summary.textContent = `This node does not answer its health check: ${health.error}`;
  }
  byId('cluster-updated').textContent = `Updated ${new Date().toLocaleTimeString()}`;
}

// --- start ----------------------------------------------------------------------------------

function prefillFromQuery() {
  const query = new URLSearchParams(window.location.search);
  for (const field of ['app', 'stream', 'vhost']) {
    const value = query.get(field);
    if (value == null) continue;
    byId(`publish-${field}`).value = value;
    byId(`play-${field}`).value = value;
  }
}

function main() {
  window.tributaryConsole = { publisher: null, player: null, stats: { publish: null, play: null }, refreshCluster };
  prefillFromQuery();
  setUpPanel('publish', 'whip', (options) => new Publisher(options, {
    camera: byId('publish-camera').checked,
    microphone: byId('publish-microphone').checked,
    preview: byId('publish-video'),
  }));
  setUpPanel('play', 'whep', (options) => new Player(options, { video: byId('play-video') }));

  byId('cluster-form').addEventListener('submit', (event) => {
    event.preventDefault();
    refreshCluster();
  });
  refreshCluster();
  setInterval(() => {
    if (document.visibilityState === 'visible') refreshCluster();
  }, CLUSTER_INTERVAL_MS);

  window.addEventListener('pagehide', () => {
    window.tributaryConsole.publisher?.stop();
    window.tributaryConsole.player?.stop();
  });
}

main();
