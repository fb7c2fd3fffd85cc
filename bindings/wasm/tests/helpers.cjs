// Shared test helpers.
'use strict';

/** Runs `chunks` through a redacting TransformStream and returns the outputs and report. */
async function runStream(stream, chunks) {
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  const outputs = [];
  const reading = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      outputs.push(value);
    }
  })();
  const writing = (async () => {
    for (const c of chunks) await writer.write(c);
    await writer.close();
  })();
  // Both sides at once, so an error on either rejects here and nowhere else.
  await Promise.all([writing, reading]);
  return { outputs, report: stream.report() };
}

/** Splits `text` at random points (deterministic: a small LCG seeded by `seed`). */
function randomChunks(text, seed, maxLen = 17) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
  const chunks = [];
  let i = 0;
  while (i < text.length) {
    const len = next() % (maxLen + 1);
    chunks.push(text.slice(i, i + len));
    i += len;
  }
  return chunks;
}

function concatBytes(parts) {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

module.exports = { runStream, randomChunks, concatBytes };
