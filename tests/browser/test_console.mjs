#!/usr/bin/env node
// The web console in a real browser: Debian's /usr/bin/chromium driven by playwright-core (no
// browser download), against real nodes started on free loopback ports.
//
//   node tests/browser/test_console.mjs --part render --build-dir build --source-dir .
//   node tests/browser/test_console.mjs --part media  --build-dir build --source-dir .
//
// render: an origin and an edge; each one's console loads with the right headers, renders
//         without a script error or CSP violation, and its cluster view shows the node.
// media:  the fake camera published over WHIP from one page, played over WHEP on another page,
//         until getStats() counts decoded frames; meanwhile the admin API and tributary-ctl list
//         the browser's sessions and a real Prometheus (Debian's, scraping the nodes every
//         second, as tools/demo --with-prometheus does) stores tributary_sessions of the
//         publish; both stopped (DELETE on their resources).
//         Exits 77 (ctest: skipped) when the node answers the WHIP POST with 404, i.e. the build
//         has no media sessions yet.
//
// Screenshots go to <build-dir>/tests/browser/screenshots/. When it may (root, util-linux's
// unshare), the test runs in a network namespace of its own that has only a loopback
// interface, so that neither the nodes nor the browser can reach anything else.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const PROMETHEUS = '/usr/bin/prometheus';
const SKIP = 77;
const OVERALL_TIMEOUT_MS = 150_000;
const PUBLISH_TOKEN = 'browser-test-publish-token';

// --- arguments ------------------------------------------------------------------------------

function parseArgs(argv) {
  const args = { part: 'render', buildDir: null, sourceDir: path.resolve(HERE, '../..'), netns: true };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    if (a === '--part') args.part = argv[++i];
    else if (a === '--build-dir') args.buildDir = path.resolve(argv[++i]);
    else if (a === '--source-dir') args.sourceDir = path.resolve(argv[++i]);
    else if (a === '--no-netns') args.netns = false;
    else throw new Error(`unknown argument '${a}'`);
  }
  if (!args.buildDir) args.buildDir = path.join(args.sourceDir, 'build');
  if (!['render', 'media'].includes(args.part)) throw new Error(`--part is render or media, not '${args.part}'`);
  return args;
}

const args = parseArgs(process.argv.slice(2));
const log = (...parts) => console.log(`[browser:${args.part}]`, ...parts);

// --- a network namespace with only loopback --------------------------------------------------

// Runs this same script again inside `unshare --net` with lo up, when that is possible, and
// exits with its status. Returns when the test should run here.
function reexecInPrivateNetwork() {
  if (!args.netns || process.env.TRIBUTARY_BROWSER_NETNS === '1') return;
  const probe = spawnSync('unshare', ['--net', '--', 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    log('cannot make a network namespace (needs root and util-linux unshare): running on the host');
    return;
  }
  const child = spawnSync('unshare', ['--net', '--', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"',
    process.execPath, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, TRIBUTARY_BROWSER_NETNS: '1' },
  });
  process.exit(child.status ?? 1);
}

// --- prerequisites --------------------------------------------------------------------------

function loadPlaywright() {
  const require = createRequire(path.join(HERE, 'package.json'));
  try {
    return require('playwright-core');
  } catch (error) {
    console.error(`FAIL: playwright-core is not installed in ${HERE}/node_modules: run tools/bootstrap ` +
      `(it runs npm ci there). ${error.message}`);
    process.exit(1);
  }
}

function checkPrerequisites() {
  const missing = [];
  if (!fs.existsSync(CHROMIUM)) missing.push(`${CHROMIUM} (Debian package chromium)`);
  if (args.part === 'media' && !fs.existsSync(PROMETHEUS)) missing.push(`${PROMETHEUS} (Debian package prometheus)`);
  for (const role of ['origin', 'edge']) {
    const binary = path.join(args.buildDir, role, `tributary-${role}`);
    if (!fs.existsSync(binary)) missing.push(`${binary} (build it)`);
  }
  if (missing.length) {
    console.error(`FAIL: missing ${missing.join(', ')}: run tools/bootstrap and build`);
    process.exit(1);
  }
}

// --- nodes ----------------------------------------------------------------------------------

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const cleanups = [];

class Node {
  constructor({ id, role, port, cluster, dir }) {
    this.id = id;
    this.role = role;
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    this.logPath = path.join(dir, `${id}.log`);
    const nodes = cluster.map((n) => `    - {id: ${n.id}, role: ${n.role}, url: http://127.0.0.1:${n.port}, region: eu}`).join('\n');
    const origins = cluster.filter((n) => n.role === 'origin').map((n) => n.id);
    const yaml = [
      `node: {id: ${id}, role: ${role}, region: eu}`,
      'http:',
      `  listen: 127.0.0.1:${port}`,
      'media:',
      '  listen_ip: 127.0.0.1',
      '  port: 0',
      'cluster:',
      '  secret: browser-test-cluster-secret-0123456789',
      '  nodes:',
      nodes,
      ...(role === 'edge' ? [`  origins: [${origins.join(', ')}]`] : []),
      'vhosts:',
      '  dir: vhosts',
      'logging:',
      '  level: info',
      '',
    ].join('\n');
    this.configPath = path.join(dir, `${id}.yaml`);
    fs.writeFileSync(this.configPath, yaml);
  }

  start(buildDir) {
    const binary = path.join(buildDir, this.role, `tributary-${this.role}`);
    const out = fs.openSync(this.logPath, 'w');
    this.process = spawn(binary, ['--config', this.configPath], { stdio: ['ignore', out, out] });
    fs.closeSync(out);
    this.exited = null;
    this.process.on('exit', (code, signal) => { this.exited = signal ?? code; });
    cleanups.push(() => this.stop());
  }

  async waitHealthy(timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited !== null) break;
      try {
        const response = await fetch(`${this.url}/api/v1/health`);
        if (response.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${this.id} did not become healthy (exit: ${this.exited}); its log:\n${this.log()}`);
  }

  log() {
    try {
      return fs.readFileSync(this.logPath, 'utf8').split('\n').slice(-40).join('\n');
    } catch {
      return '(no log)';
    }
  }

  async stop() {
    if (!this.process || this.exited !== null) return;
    const exited = new Promise((r) => this.process.once('exit', r));
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

async function startCluster(dir) {
  fs.mkdirSync(path.join(dir, 'vhosts'));
  fs.writeFileSync(path.join(dir, 'vhosts', 'demo.yaml'), [
    'name: demo',
    'default: true',
    'domains: [localhost, 127.0.0.1]',
    'allow_query_vhost: true',
    'publish:',
    `  tokens: [${PUBLISH_TOKEN}]`,
    'play:',
    '  open: true',
    '',
  ].join('\n'));
  const cluster = [
    { id: 'o1', role: 'origin', port: await freePort() },
    { id: 'e1', role: 'edge', port: await freePort() },
  ];
  const nodes = cluster.map((c) => new Node({ ...c, cluster, dir }));
  for (const node of nodes) node.start(args.buildDir);
  for (const node of nodes) await node.waitHealthy();
  log('nodes up:', nodes.map((n) => `${n.id} ${n.url}`).join(', '));
  return nodes;
}

// A Prometheus scraping `nodes` every second (the shape of tools/demo's), its data in `dir`.
class Prometheus {
  constructor(dir, nodes, port) {
    this.url = `http://127.0.0.1:${port}`;
    this.logPath = path.join(dir, 'prometheus.log');
    const config = path.join(dir, 'prometheus.yml');
    fs.writeFileSync(config, [
      'global: {scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s}',
      'scrape_configs:',
      '  - job_name: tributary',
      '    static_configs:',
      ...nodes.map((n) => `      - targets: ['127.0.0.1:${n.port}']\n        labels: {node: ${n.id}, role: ${n.role}}`),
      '',
    ].join('\n'));
    const out = fs.openSync(this.logPath, 'w');
    this.process = spawn(PROMETHEUS, [`--config.file=${config}`, `--storage.tsdb.path=${path.join(dir, 'prometheus-data')}`,
      `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { stdio: ['ignore', out, out] });
    fs.closeSync(out);
    this.exited = null;
    this.process.on('exit', (code, signal) => { this.exited = signal ?? code; });
    cleanups.push(async () => {
      if (this.exited !== null) return;
      const exited = new Promise((r) => this.process.once('exit', r));
      this.process.kill('SIGTERM');
      const timer = setTimeout(() => this.process.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    });
  }

  // Polls an instant query until it returns a series; the series.
  async waitForSeries(promql, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline && this.exited === null) {
      try {
        const response = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(promql)}`);
        const answer = await response.json();
        if (answer.status === 'success' && answer.data.result.length > 0) return answer.data.result;
        last = JSON.stringify(answer);
      } catch (error) {
        last = error.message;  // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    let log = '';
    try { log = fs.readFileSync(this.logPath, 'utf8').slice(-2000); } catch { /* none */ }
    throw new Error(`Prometheus: no series for ${promql} within ${timeoutMs / 1000} s (exit ${this.exited}; last answer ${last})\n${log}`);
  }
}

// --- the browser ----------------------------------------------------------------------------

async function launchBrowser(playwright, dir) {
  const userDataDir = path.join(dir, 'chromium-profile');
  fs.mkdirSync(userDataDir);
  const context = await playwright.chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 1000 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      // The nodes listen on 127.0.0.1 only, and in the private namespace lo is all there is.
      '--allow-loopback-in-peer-connection',
    ],
  });
  cleanups.push(() => context.close());
  return context;
}

// A console page, with every script error and console error it produces recorded.
async function openConsole(context, node) {
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (error) => page.problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    // An HTTP error answer (404 of an optional API, 409 while a stream is not there yet, 401) is
    // logged by Chromium as a failed load; the page handles and shows it. Anything else (script
    // errors, CSP violations above all) is a failure.
    if (/^Failed to load resource: the server responded with a status of [45]\d\d/.test(text)) return;
    page.problems.push(`console error: ${text}`);
  });
  const response = await page.goto(`${node.url}/`, { waitUntil: 'load' });
  return { page, response };
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

async function screenshot(page, name) {
  const dir = path.join(args.buildDir, 'tests', 'browser', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  log('screenshot:', file);
  return file;
}

// --- the two parts --------------------------------------------------------------------------

async function testRender(context, nodes) {
  for (const node of nodes) {
    const { page, response } = await openConsole(context, node);
    expect(response.status() === 200, `${node.id}: GET / answered ${response.status()}`);
    const headers = response.headers();
    expect(headers['content-type'] === 'text/html; charset=utf-8', `${node.id}: content-type ${headers['content-type']}`);
    expect(headers['cache-control'] === 'no-cache', `${node.id}: cache-control ${headers['cache-control']}`);
    expect(/default-src 'none'/.test(headers['content-security-policy'] ?? '') &&
      /connect-src 'self'/.test(headers['content-security-policy'] ?? ''),
    `${node.id}: content-security-policy ${headers['content-security-policy']}`);

    // The page's own script ran: the header names the node, the cluster view shows it.
    await page.locator('#node-summary').filter({ hasText: `Node ${node.id}` }).waitFor({ timeout: 10_000 });
    await page.locator('#cluster-health dd').filter({ hasText: new RegExp(`^${node.id}$`) }).first().waitFor({ timeout: 10_000 });
    await page.locator('#cluster-nodes td').filter({ hasText: new RegExp(`^${node.id}$`) }).first().waitFor({ timeout: 10_000 });
    expect(await page.title() === `Tributary console: ${node.id}`, `${node.id}: title '${await page.title()}'`);
    // With the cluster's admin view (GET /api/v1/cluster), the other nodes are listed too: an
    // edge's origins at once, an origin's edges once their heartbeats arrive.
    if ((await fetch(`${node.url}/api/v1/cluster`)).status === 200) {
      for (const other of nodes.filter((n) => n !== node)) {
        const cell = page.locator('#cluster-nodes td').filter({ hasText: new RegExp(`^${other.id}$`) }).first();
        const deadline = Date.now() + 15_000;
        while (!(await cell.isVisible()) && Date.now() < deadline) {
          await page.getByRole('button', { name: 'Refresh' }).click();
          await new Promise((r) => setTimeout(r, 500));
        }
        expect(await cell.isVisible(), `${node.id}: the cluster view does not list ${other.id}`);
      }
      log(`${node.id}: cluster view lists ${nodes.map((n) => n.id).join(', ')}`);
    }
    const role = await page.locator('#cluster-health').textContent();
    expect(role.includes(node.role), `${node.id}: the health view does not say ${node.role}: ${role}`);

    // Labelled controls, for people and for screen readers.
    for (const id of ['publish-app', 'publish-stream', 'publish-vhost', 'publish-token', 'play-app', 'play-stream', 'play-vhost', 'play-token', 'cluster-token']) {
      const label = await page.locator(`label[for="${id}"]`).count();
      expect(label === 1, `${node.id}: #${id} has ${label} labels`);
    }
    expect(await page.getByRole('button', { name: 'Start publishing' }).isEnabled(), 'publish button disabled');
    expect(await page.getByRole('button', { name: 'Start playing' }).isEnabled(), 'play button disabled');

    // The assets: right types, and nothing else served under /console/.
    for (const [file, type] of [['console.js', 'text/javascript; charset=utf-8'], ['console.css', 'text/css; charset=utf-8']]) {
      const asset = await fetch(`${node.url}/console/${file}`);
      expect(asset.status === 200 && asset.headers.get('content-type') === type,
        `${node.id}: /console/${file}: ${asset.status} ${asset.headers.get('content-type')}`);
    }
    expect((await fetch(`${node.url}/console/nope.js`)).status === 404, `${node.id}: /console/nope.js is not 404`);

    // A failing publish shows the status and the server's reason (no token: 401, or 404 while
    // the node has no WHIP route).
    await page.getByRole('button', { name: 'Start publishing' }).click();
    const status = page.locator('#publish-status[data-state="error"]');
    await status.waitFor({ timeout: 15_000 });
    const text = await status.textContent();
    expect(/WHIP request failed: (401|403|404)\b/.test(text), `${node.id}: publish without a token says '${text}'`);
    log(`${node.id}: publish without a token: ${text}`);
    expect(await page.getByRole('button', { name: 'Start publishing' }).isEnabled(), 'publish button not re-enabled');

    expect(page.problems.length === 0, `${node.id}: ${page.problems.join('; ')}`);
    await screenshot(page, `console-${node.id}`);
    log(`${node.id}: console renders, cluster view shows ${node.id}`);
    await page.close();
  }
}

async function framesDecoded(page) {
  return page.evaluate(async () => {
    const player = window.tributaryConsole.player;
    if (!player?.pc) return -1;
    const report = await player.pc.getStats();
    let frames = 0;
    report.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') frames += s.framesDecoded || 0;
    });
    return frames;
  });
}

async function waitForState(page, prefix, states, timeoutMs) {
  const selector = states.map((s) => `#${prefix}-status[data-state="${s}"]`).join(', ');
  await page.locator(selector).waitFor({ timeout: timeoutMs });
  const status = page.locator(`#${prefix}-status`);
  return { state: await status.getAttribute('data-state'), text: await status.textContent() };
}

async function metricValue(node, series) {
  const text = await (await fetch(`${node.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : null;
}

async function testMedia(context, nodes, dir) {
  const origin = nodes.find((n) => n.role === 'origin');
  const prometheus = new Prometheus(dir, nodes, await freePort());
  const { page: publisher } = await openConsole(context, origin);
  await publisher.locator('#publish-token').fill(PUBLISH_TOKEN);
  await publisher.getByRole('button', { name: 'Start publishing' }).click();
  const published = await waitForState(publisher, 'publish', ['live', 'error'], 30_000);
  if (published.state === 'error') {
    if (/WHIP request failed: 404\b/.test(published.text)) {
      console.log(`SKIP: ${origin.url}/whip/live/cam answered 404 (${published.text}): this build has no ` +
        'WHIP/WHEP sessions yet, so the publish-and-play part cannot run');
      return SKIP;
    }
    throw new Error(`publishing failed: ${published.text}\n${origin.id} log:\n${origin.log()}`);
  }
  log(`publisher: ${published.text}`);

  const { page: player } = await openConsole(context, origin);
  await player.getByRole('button', { name: 'Start playing' }).click();
  const played = await waitForState(player, 'play', ['live', 'error'], 30_000);
  expect(played.state === 'live', `playing failed: ${played.text}\n${origin.id} log:\n${origin.log()}`);
  log(`player: ${played.text}`);

  const deadline = Date.now() + 30_000;
  let frames = 0;
  while (Date.now() < deadline && (frames = await framesDecoded(player)) <= 0) {
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(frames > 0, `no frame decoded within 30 s (getStats framesDecoded ${frames})\n${origin.log()}`);
  log(`player decoded ${frames} frames (getStats)`);
  // Let the stats tables fill in, then keep pictures of both pages.
  await player.locator('#play-stats [data-stat="frames"]').filter({ hasText: /^[1-9]/ }).waitFor({ timeout: 10_000 });
  await publisher.locator('#publish-stats [data-stat="frames"]').filter({ hasText: /^[1-9]/ }).waitFor({ timeout: 10_000 });
  for (const [page, prefix] of [[publisher, 'publish'], [player, 'play']]) {
    await page.locator(`#${prefix}-stats [data-stat="video-bitrate"]`).filter({ hasText: /bit\/s/ }).waitFor({ timeout: 10_000 });
  }
  await screenshot(publisher, 'publish');
  await screenshot(player, 'play');

  // The node's gauges (refreshed about once a second) count both sessions.
  const sessionsNow = async () => [
    await metricValue(origin, 'tributary_sessions{kind="publish",vhost="demo"}'),
    await metricValue(origin, 'tributary_sessions{kind="play",vhost="demo"}')];
  const waitForSessions = async (expected) => {
    const deadline = Date.now() + 10_000;
    let seen = await sessionsNow();
    while (Date.now() < deadline && (seen[0] !== expected || seen[1] !== expected)) {
      await new Promise((r) => setTimeout(r, 200));
      seen = await sessionsNow();
    }
    expect(seen[0] === expected && seen[1] === expected,
      `tributary_sessions publish/play: ${seen}, expected ${expected} and ${expected}`);
  };
  await waitForSessions(1);

  // What an operator sees meanwhile. The admin API (loopback, no admin.token: open) lists the
  // browser's two sessions with their traffic...
  const listed = await (await fetch(`${origin.url}/api/v1/sessions`)).json();
  const byKind = Object.fromEntries((listed.sessions ?? []).map((s) => [s.kind, s]));
  for (const kind of ['publish', 'play']) {
    const s = byKind[kind];
    expect(s && s.vhost === 'demo' && s.app === 'live' && s.stream === 'cam' && s.state === 'connected' &&
      /^127\.0\.0\.1:\d+$/.test(s.remote) && s.tracks === 2,
    `GET /api/v1/sessions: no connected ${kind} session of demo/live/cam from the browser: ${JSON.stringify(listed)}`);
  }
  log(`admin API: publish ${byKind.publish.id} from ${byKind.publish.remote}, play ${byKind.play.id}`);
  // ...tributary-ctl prints them...
  const ctl = path.join(args.buildDir, 'tools', 'tributary-ctl');
  if (fs.existsSync(ctl)) {
    const run = spawnSync(ctl, ['--url', origin.url, 'sessions'], { encoding: 'utf8', timeout: 15_000 });
    expect(run.status === 0 && run.stdout.includes(byKind.publish.id) && run.stdout.includes(byKind.play.id),
      `tributary-ctl sessions (exit ${run.status}):\n${run.stdout}${run.stderr}`);
    log(`tributary-ctl sessions:\n${run.stdout.trimEnd()}`);
  }
  // ...and Prometheus has stored the origin's gauge of the browser's publish.
  const stored = await prometheus.waitForSeries(
    `tributary_sessions{kind="publish",vhost="demo",node="${origin.id}"} == 1`, 30_000);
  log(`Prometheus: ${stored.map((s) => `tributary_sessions${JSON.stringify(s.metric)} = ${s.value[1]}`).join(', ')}`);

  // Stop both: each DELETEs its resource; the node's gauges go back to 0.
  await player.getByRole('button', { name: 'Stop playing' }).click();
  const stoppedPlayer = await waitForState(player, 'play', ['idle', 'error'], 10_000);
  // "Stopped": the DELETE of the WHEP resource answered 2xx.
  expect(stoppedPlayer.text === 'Stopped', `stopping the player: ${stoppedPlayer.text}`);
  await publisher.getByRole('button', { name: 'Stop publishing' }).click();
  const stoppedPublisher = await waitForState(publisher, 'publish', ['idle', 'error'], 10_000);
  expect(stoppedPublisher.text === 'Stopped', `stopping the publisher: ${stoppedPublisher.text}`);
  await waitForSessions(0);

  for (const page of [publisher, player]) expect(page.problems.length === 0, page.problems.join('; '));
  log('published, played, decoded, stopped');
  return 0;
}

// --- main -----------------------------------------------------------------------------------

async function main() {
  reexecInPrivateNetwork();
  checkPrerequisites();
  const playwright = loadPlaywright();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-browser-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const watchdog = setTimeout(() => {
    console.error(`FAIL: the test did not finish within ${OVERALL_TIMEOUT_MS / 1000} s`);
    cleanup().finally(() => process.exit(1));
  }, OVERALL_TIMEOUT_MS);

  let code = 1;
  let nodes = [];
  try {
    nodes = await startCluster(dir);
    const context = await launchBrowser(playwright, dir);
    code = args.part === 'render' ? (await testRender(context, nodes), 0) : await testMedia(context, nodes, dir);
    if (code === 0) console.log(`PASS: browser ${args.part}`);
  } catch (error) {
    console.error(`FAIL: ${error.stack || error.message}`);
    for (const node of nodes) console.error(`--- last lines of ${node.id}'s log ---\n${node.log()}`);
    code = 1;
  } finally {
    clearTimeout(watchdog);
    await cleanup();
  }
  process.exit(code);
}

async function cleanup() {
  while (cleanups.length) {
    try {
      await cleanups.pop()();
    } catch {
      // best effort: the rest must still run
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => cleanup().finally(() => process.exit(1)));
}

main();
