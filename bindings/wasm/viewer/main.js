// The viewer's main thread. It never sees raw log text: files, URLs and known values go
// to the worker, which sends back only redacted lines and reports. It does not load the
// hush module either; redaction exists only inside the worker.

const LINE_HEIGHT = 18;
// Browsers cap element heights (Firefox near 17.9M px): past this, scrolling is scaled.
const MAX_SCROLL_HEIGHT = 8_000_000;
const OVERSCAN = 20;
// Longer lines are cut on screen (the copy keeps them whole).
const MAX_RENDERED_CHARS = 4000;
const MASK_PATTERN = /\[REDACTED(?::[^\]\s]*)?\]/g;

const $ = (id) => document.getElementById(id);
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });

/** Redacted output: chunks of complete lines, with each chunk's line starts. */
const doc = {
  chunks: [],
  starts: [],
  firstLine: [],
  lines: 0,
  reset() {
    this.chunks = [];
    this.starts = [];
    this.firstLine = [];
    this.lines = 0;
  },
  append(text, starts) {
    if (text.length === 0) return;
    this.chunks.push(text);
    this.starts.push(starts);
    this.firstLine.push(this.lines);
    this.lines += starts.length;
  },
  line(n) {
    // Binary search for the chunk holding line n.
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.firstLine[mid] <= n) lo = mid;
      else hi = mid - 1;
    }
    const text = this.chunks[lo];
    const starts = this.starts[lo];
    const k = n - this.firstLine[lo];
    const end = k + 1 < starts.length ? starts[k + 1] : text.length;
    let line = text.slice(starts[k], end);
    if (line.endsWith('\n')) line = line.slice(0, -1);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    return line;
  },
  text() {
    return this.chunks.join('');
  },
};

let job = 0;
let knownCount = 0;
let secretsFile = null;

function showError(message) {
  const el = $('error');
  el.textContent = message;
  el.hidden = message === '';
}

function updateWarning() {
  const pasted = $('known').value.split('\n').some((l) => l.trim() !== '');
  const none = knownCount === 0 && !pasted && !secretsFile;
  $('no-known-warning').classList.toggle('hidden', !none);
}

/** Hands the source to the worker with the known values, then forgets those here. */
function open(source) {
  const known = $('known')
    .value.split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.trim() !== '');
  // The values now live only in the worker's memory; the page keeps a count.
  $('known').value = '';
  knownCount = known.length;
  job += 1;
  doc.reset();
  showError('');
  $('copy').disabled = true;
  $('copy-status').textContent = '';
  $('progress').value = 0;
  $('progress').max = 1;
  $('status-text').textContent = 'Redacting…';
  renderCounts({ rules: {}, total: 0 });
  layout();
  worker.postMessage({ type: 'open', job, ...source, known, secretsFile, mask: $('mask').value });
  updateWarning();
}

worker.onmessage = ({ data }) => {
  if (data.job !== job) return;
  switch (data.type) {
    case 'chunk':
      doc.append(data.text, data.starts);
      if (data.report) renderCounts(data.report);
      setProgress(data.done, data.total);
      layout();
      break;
    case 'done':
      knownCount = data.knownCount;
      renderCounts(data.report);
      setProgress(1, 1);
      $('status-text').textContent = `Done: ${doc.lines.toLocaleString()} lines, ${data.report.total.toLocaleString()} redactions.`;
      $('copy').disabled = false;
      document.body.dataset.state = 'done';
      updateWarning();
      layout();
      break;
    case 'error':
      showError(data.message);
      $('status-text').textContent = 'Failed.';
      document.body.dataset.state = 'error';
      break;
  }
};

function setProgress(done, total) {
  const p = $('progress');
  if (total > 0) {
    p.max = total;
    p.value = Math.min(done, total);
    $('status-text').textContent = `Redacting… ${Math.floor((100 * done) / total)}%`;
  } else {
    p.removeAttribute('value');
  }
}

function renderCounts(report) {
  const body = $('counts').tBodies[0];
  body.replaceChildren();
  for (const [rule, c] of Object.entries(report.rules).sort((a, b) => b[1].count - a[1].count)) {
    const tr = document.createElement('tr');
    tr.dataset.rule = rule;
    tr.dataset.count = String(c.count);
    const name = document.createElement('td');
    name.textContent = rule;
    const count = document.createElement('td');
    count.className = 'count';
    count.textContent = c.count.toLocaleString();
    tr.append(name, count);
    body.append(tr);
  }
  $('total').textContent = `${report.total.toLocaleString()} redactions`;
}

// Virtualised rendering: only the lines in view (plus a margin) exist in the DOM.
const scroller = $('scroller');
const linesEl = $('lines');
let renderQueued = false;

function layout() {
  const height = Math.min(doc.lines * LINE_HEIGHT, MAX_SCROLL_HEIGHT);
  $('spacer').style.height = `${height}px`;
  queueRender();
}

function queueRender() {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    render();
  });
}

function render() {
  const view = scroller.clientHeight;
  const visible = Math.ceil(view / LINE_HEIGHT) + 1;
  const fullHeight = doc.lines * LINE_HEIGHT;
  const height = Math.min(fullHeight, MAX_SCROLL_HEIGHT);
  const scrollable = Math.max(1, height - view);
  // Lines that fit fully above a horizontal scrollbar: at the bottom, the last line shows.
  const fit = Math.max(1, Math.floor((view - 16) / LINE_HEIGHT));
  const maxFirst = Math.max(0, doc.lines - fit);
  const first = fullHeight <= MAX_SCROLL_HEIGHT
    ? Math.floor(scroller.scrollTop / LINE_HEIGHT)
    : Math.round((Math.min(scroller.scrollTop, scrollable) / scrollable) * maxFirst);
  const start = Math.max(0, first - OVERSCAN);
  const end = Math.min(doc.lines, first + visible + OVERSCAN);
  const nodes = [];
  for (let n = start; n < end; n++) nodes.push(lineNode(n));
  linesEl.replaceChildren(...nodes);
  // Keep the rendered block where the viewport is.
  const offset = scroller.scrollTop - (first - start) * LINE_HEIGHT;
  linesEl.style.transform = `translateY(${Math.max(0, offset)}px)`;
}

function lineNode(n) {
  const div = document.createElement('div');
  div.className = 'line';
  const no = document.createElement('span');
  no.className = 'no';
  no.textContent = String(n + 1);
  div.append(no);
  let text = doc.line(n);
  let cut = 0;
  if (text.length > MAX_RENDERED_CHARS) {
    cut = text.length - MAX_RENDERED_CHARS;
    text = text.slice(0, MAX_RENDERED_CHARS);
  }
  // Redactions are marked by finding the mask text in the (already redacted) line.
  let pos = 0;
  for (const m of text.matchAll(MASK_PATTERN)) {
    if (m.index > pos) div.append(text.slice(pos, m.index));
    const mark = document.createElement('mark');
    mark.className = 'redaction';
    mark.textContent = m[0];
    mark.title = m[0].length > 11 ? `redacted by ${m[0].slice(10, -1)}` : 'redacted';
    div.append(mark);
    pos = m.index + m[0].length;
  }
  if (pos < text.length) div.append(text.slice(pos));
  if (cut > 0) {
    const more = document.createElement('span');
    more.className = 'cut';
    more.textContent = ` … ${cut.toLocaleString()} more characters (kept in the copy)`;
    div.append(more);
  }
  return div;
}

scroller.addEventListener('scroll', queueRender, { passive: true });
window.addEventListener('resize', queueRender);

$('file').addEventListener('change', (e) => {
  const file = e.target.files[0];
  e.target.value = '';
  if (file) open({ file });
});

$('secrets-file').addEventListener('change', (e) => {
  secretsFile = e.target.files[0] ?? null;
  e.target.value = '';
  $('secrets-status').textContent = secretsFile ? 'secrets file selected (read by the worker only)' : '';
  updateWarning();
});

$('known').addEventListener('input', updateWarning);

$('url-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const value = $('url').value.trim();
  if (!value) return;
  let url;
  try {
    url = new URL(value, location.href);
  } catch {
    showError('Not a valid URL.');
    return;
  }
  if (url.origin !== location.origin) {
    showError('Only same-origin URLs can be loaded (the page allows connections to its own origin only).');
    return;
  }
  open({ url: url.href });
});

$('copy').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText(doc.text());
    $('copy-status').textContent = 'Copied redacted text.';
  } catch {
    $('copy-status').textContent = 'The browser refused clipboard access.';
  }
});

// Drag and drop anywhere on the page.
let dragDepth = 0;
document.addEventListener('dragenter', (e) => {
  e.preventDefault();
  dragDepth += 1;
  $('drop-overlay').hidden = false;
});
document.addEventListener('dragleave', () => {
  dragDepth = Math.max(0, dragDepth - 1);
  if (dragDepth === 0) $('drop-overlay').hidden = true;
});
document.addEventListener('dragover', (e) => e.preventDefault());
document.addEventListener('drop', (e) => {
  e.preventDefault();
  dragDepth = 0;
  $('drop-overlay').hidden = true;
  const file = e.dataTransfer?.files?.[0];
  if (file) open({ file });
});

updateWarning();
