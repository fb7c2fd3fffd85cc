// The viewer in a real browser (Debian's chromium through playwright-core): served with
// its CSP, it must redact in a Worker, never put raw text in the DOM or on the clipboard,
// count like the core, and stay virtualised on a 100 MB log.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, createWriteStream, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { chromium } from 'playwright-core';
import { Redactor } from 'hush-wasm';
import { serve } from '../../viewer/serve.mjs';

const pkgRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = join(pkgRoot, 'test-output');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

const KNOWN = 'plum-Orbit-4471';
const SECRETS = [
  KNOWN,
  'Hunter2-Sekret-991',
  '9f8e7d6c5b4a39281706f5e4aa',
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  'YWRtaW46aHVudGVyMg==',
];
const NAMED = ['NAMED-LINE-ALPHA service started', 'NAMED-LINE-BRAVO cache warmed', 'NAMED-LINE-CHARLIE naïve ✓ done'];
const LOG = [
  `2024-05-01T10:00:00Z INFO ${NAMED[0]} on port 8080`,
  `2024-05-01T10:00:01Z DEBUG connect user=app password=${SECRETS[1]} host=db`,
  `2024-05-01T10:00:02Z WARN retrying with ${KNOWN} (attempt 2)`,
  `2024-05-01T10:00:03Z INFO ${NAMED[1]} in 42ms`,
  `2024-05-01T10:00:04Z DEBUG Authorization: Bearer ${SECRETS[2]}`,
  `2024-05-01T10:00:05Z DEBUG session=${SECRETS[3]}`,
  `2024-05-01T10:00:06Z DEBUG Authorization: Basic ${SECRETS[4]}`,
  `2024-05-01T10:00:07Z INFO ${NAMED[2]}`,
  `2024-05-01T10:00:08Z INFO second sighting ${KNOWN}`,
  '',
].join('\n');

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

let server;
let baseUrl;
let context;
let userDataDir;

before(async () => {
  mkdirSync(outDir, { recursive: true });
  ({ server, url: baseUrl } = await serve({ port: 0 }));
  userDataDir = mkdtempSync(join(tmpdir(), 'hush-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: false, // --headless is in ARGS, exactly as documented for CI
    args: ARGS,
    viewport: { width: 1280, height: 800 },
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
});

after(async () => {
  await context?.close();
  server?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

/** Opens the viewer, recording CSP violations (page and worker) and workers. */
async function openViewer() {
  const page = await context.newPage();
  const workers = [];
  const consoleCsp = [];
  page.on('worker', (w) => workers.push(w));
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) consoleCsp.push(m.text());
  });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const response = await page.goto(`${baseUrl}/viewer/`);
  assert.equal(response.headers()['content-security-policy'].includes("script-src 'self' 'wasm-unsafe-eval'"), true);
  assert.equal(response.headers()['content-security-policy'].includes("worker-src 'self'"), true);
  return { page, workers, consoleCsp };
}

async function waitDone(page, timeout = 30_000) {
  await page.waitForSelector('body[data-state="done"]', { timeout });
}

async function ruleCounts(page) {
  return page.$$eval('#counts tbody tr', (rows) => Object.fromEntries(rows.map((r) => [r.dataset.rule, Number(r.dataset.count)])));
}

function expectedCounts(report) {
  return Object.fromEntries(Object.entries(report.rules).map(([k, v]) => [k, v.count]));
}

test('a log with secrets: redacted in a worker, nothing raw in the DOM or clipboard', async () => {
  const logPath = join(outDir, 'secrets.log');
  writeFileSync(logPath, LOG);
  const { page, workers, consoleCsp } = await openViewer();

  assert.equal(await page.isVisible('#no-known-warning'), true, 'warning shown before known values are supplied');
  await page.fill('#known', KNOWN);
  assert.equal(await page.isVisible('#no-known-warning'), false, 'warning hidden once known values are pasted');
  await page.setInputFiles('#file', logPath);
  await waitDone(page);
  await page.waitForFunction(() => document.querySelectorAll('#lines .line').length > 0);

  // No secret anywhere in the document (markup, text, form values).
  const dom = await page.evaluate(() => document.documentElement.outerHTML + document.body.innerText + document.getElementById('known').value);
  for (const [i, secret] of SECRETS.entries()) assert.ok(!dom.includes(secret), `secret #${i} is not in the DOM`);
  const text = await page.evaluate(() => document.getElementById('lines').innerText);
  for (const line of NAMED) assert.ok(text.includes(line), `named line "${line}" is shown`);
  assert.ok((await page.$$('#lines mark.redaction')).length >= SECRETS.length, 'redactions are marked');
  assert.equal(await page.isVisible('#no-known-warning'), false);

  // Counts equal the core's report, and the copy equals redact(file), for the same options.
  const redactor = new Redactor({ mask: 'label', knownValues: [KNOWN] });
  const expected = redactor.redactWithReport(LOG);
  redactor.free();
  assert.deepEqual(await ruleCounts(page), expectedCounts(expected.report));
  assert.ok(expected.report.total >= SECRETS.length + 1);
  await page.click('#copy');
  await page.waitForFunction(() => document.getElementById('copy-status').textContent.startsWith('Copied'));
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  assert.ok(clip === expected.text, 'clipboard holds exactly redact(file)');

  // Redaction happened in a worker; the page itself never loaded the module.
  assert.equal(workers.length, 1);
  assert.match(workers[0].url(), /\/viewer\/worker\.js$/);
  const workerLoadedWasm = await workers[0].evaluate(() =>
    performance.getEntriesByType('resource').some((e) => e.name.endsWith('/pkg/web/hush_wasm_bg.wasm')),
  );
  assert.equal(workerLoadedWasm, true, 'the worker instantiated the module');
  const main = await page.evaluate(() => ({
    redactor: typeof globalThis.Redactor,
    hush: Object.keys(globalThis).filter((k) => /hush|redact/i.test(k)),
    // (The worker's own module fetches are listed in the page's timeline too; the .wasm
    // is fetched and instantiated by the worker only.)
    wasm: performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.wasm')).length,
  }));
  assert.deepEqual(main, { redactor: 'undefined', hush: [], wasm: 0 });

  assert.deepEqual(await page.evaluate(() => window.__csp), [], 'no securitypolicyviolation');
  assert.deepEqual(consoleCsp, []);
  await page.screenshot({ path: join(outDir, 'viewer.png') });
  await page.close();
});

test('drag and drop opens a file; no known values shows the warning', async () => {
  const { page } = await openViewer();
  await page.evaluate(() => {
    // The test builds the dropped file in the page; the viewer reads it only in its worker.
    const dt = new DataTransfer();
    dt.items.add(new File(['x=1 password=dropped-Secret-77\nDROPPED-LINE ok\n'], 'drop.log', { type: 'text/plain' }));
    document.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await waitDone(page);
  await page.waitForFunction(() => document.getElementById('lines').innerText.includes('DROPPED-LINE ok'));
  const text = await page.evaluate(() => document.getElementById('lines').innerText);
  assert.ok(text.includes('password=[REDACTED:key:password]'));
  assert.equal(await page.isVisible('#no-known-warning'), true);
  assert.deepEqual(await ruleCounts(page), { 'key:password': 1 });
  await page.close();
});

async function writeBigLog(path, bytes) {
  const out = createWriteStream(path);
  let size = 0;
  let n = 0;
  while (size < bytes) {
    const lines = [];
    for (let i = 0; i < 2000; i++, n++) {
      lines.push(
        n % 50 === 0
          ? `2024-05-01 10:00:00 DEBUG line ${n} connect password=pw-${n}-Secret host=db\n`
          : `2024-05-01 10:00:00 INFO  line ${n} GET /api/v1/orders/${n % 9973} 200 in ${n % 97}ms\n`,
      );
    }
    const block = lines.join('');
    size += block.length;
    if (!out.write(block)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { size, lines: n };
}

test('a 100 MB log stays virtualised and responsive', { timeout: 300_000 }, async () => {
  const bigPath = join(outDir, 'big.log');
  const { size, lines } = await writeBigLog(bigPath, 100 * 1024 * 1024);
  const { page } = await openViewer();
  await page.fill('#url', '/test-output/big.log');
  await page.click('#url-form button');
  let maxNodes = 0;
  let maxLatency = 0;
  let sawProgress = false;
  for (;;) {
    const t0 = Date.now();
    const s = await page.evaluate(() => ({
      nodes: document.querySelectorAll('#lines .line').length,
      done: document.body.dataset.state === 'done' || document.body.dataset.state === 'error',
      progress: Number(document.getElementById('progress').value),
      max: Number(document.getElementById('progress').max),
    }));
    maxLatency = Math.max(maxLatency, Date.now() - t0);
    maxNodes = Math.max(maxNodes, s.nodes);
    if (s.progress > 0 && s.progress < s.max) sawProgress = true;
    if (s.done) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'done');
  assert.ok(sawProgress, 'the progress bar moved while loading');
  assert.ok(maxLatency < 2000, `the page answered within 2 s while loading (worst ${maxLatency} ms)`);
  assert.equal(await page.evaluate(() => Number(document.getElementById('counts').querySelector('tr[data-rule="key:password"]').dataset.count)), Math.ceil(lines / 50));
  for (const frac of [0, 0.5, 1]) {
    await page.evaluate((f) => {
      const s = document.getElementById('scroller');
      s.scrollTop = f * (s.scrollHeight - s.clientHeight);
    }, frac);
    await page.waitForTimeout(150);
    const nodes = await page.evaluate(() => document.querySelectorAll('#lines .line').length);
    maxNodes = Math.max(maxNodes, nodes);
    assert.ok(nodes > 0, 'lines are rendered');
  }
  const last = await page.evaluate(() => document.getElementById('lines').lastElementChild.querySelector('.no').textContent);
  assert.equal(Number(last), lines, 'scrolled to the end, the last line is shown');
  assert.ok(maxNodes < 2000, `fewer than 2,000 line nodes rendered (max ${maxNodes})`);
  assert.ok(size >= 100 * 1024 * 1024);
  await page.screenshot({ path: join(outDir, 'viewer-100mb.png') });
  await page.close();
  if (existsSync(bigPath)) rmSync(bigPath);
});
