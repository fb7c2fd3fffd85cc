// The viewer's worker: the only place raw log text and known values exist. It redacts
// through the streaming API and posts redacted lines (and reports) to the page.

// Loaded dynamically so the message handler below exists from the first moment: messages
// that arrive while a module worker is still evaluating a static import would be lost.
const hush = import('../pkg/web/index.js');

// Post to the page about every this many bytes of output (or when done).
const POST_BYTES = 1 << 20;

self.onmessage = async ({ data }) => {
  if (data.type !== 'open') return;
  const { HushError } = await hush;
  try {
    await redact(data);
  } catch (e) {
    // hush's messages never contain input text; anything else gets a generic message.
    const message = e instanceof HushError || e?.loadFailed ? e.message : 'Could not read or redact the log.';
    self.postMessage({ type: 'error', job: data.job, message });
  }
};

async function knownValues(known, secretsFile) {
  const values = [...known];
  if (secretsFile) {
    for (const line of (await secretsFile.text()).split('\n')) {
      const value = line.replace(/\r$/, '');
      if (value.trim() !== '') values.push(value);
    }
  }
  return values;
}

async function redact({ job, file, url, known, secretsFile, mask }) {
  const { Redactor } = await hush;
  const values = await knownValues(known, secretsFile);
  const redactor = new Redactor({ mask, knownValues: values });
  try {
    let source;
    let total;
    if (file) {
      source = file.stream();
      total = file.size;
    } else {
      // no-store: the raw log must not land in the HTTP cache.
      const response = await fetch(url, { cache: 'no-store', credentials: 'same-origin' });
      if (!response.ok) throw Object.assign(new Error(`Loading the URL failed: HTTP ${response.status}`), { loadFailed: true });
      total = Number(response.headers.get('content-length')) || 0;
      source = response.body;
    }
    let read = 0;
    const counter = new TransformStream({
      transform(chunk, controller) {
        read += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const stream = redactor.byteStream();
    const reader = source.pipeThrough(counter).pipeThrough(stream).getReader();
    const decoder = new TextDecoder();
    let pending = [];
    let pendingBytes = 0;
    let carry = '';
    const post = (final) => {
      let text = carry + pending.join('');
      pending = [];
      pendingBytes = 0;
      const cut = final ? text.length : text.lastIndexOf('\n') + 1;
      carry = text.slice(cut);
      text = text.slice(0, cut);
      const starts = lineStarts(text);
      self.postMessage({ type: 'chunk', job, text, starts, done: read, total, report: stream.report() }, [starts.buffer]);
    };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      pending.push(decoder.decode(value, { stream: true }));
      pendingBytes += value.byteLength;
      if (pendingBytes >= POST_BYTES) post(false);
    }
    pending.push(decoder.decode());
    post(true);
    self.postMessage({ type: 'done', job, report: stream.report(), knownCount: values.length });
  } finally {
    redactor.free();
  }
}

/** Offsets where lines start in `text` (complete lines, plus a final partial one). */
function lineStarts(text) {
  const starts = [];
  let pos = 0;
  while (pos < text.length) {
    starts.push(pos);
    const nl = text.indexOf('\n', pos);
    if (nl === -1) break;
    pos = nl + 1;
  }
  return Uint32Array.from(starts);
}
