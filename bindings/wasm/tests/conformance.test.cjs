// The shared conformance corpus (testdata/conformance/*.json) through the Node build:
// every case must give exactly the expected output, as in the Rust core.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { Redactor } = require('../pkg/node/index.cjs');
const { runStream, randomChunks } = require('./helpers.cjs');

const corpusDir = path.resolve(__dirname, '../../../testdata/conformance');
const files = fs.existsSync(corpusDir) ? fs.readdirSync(corpusDir).filter((f) => f.endsWith('.json')).sort() : [];

function redactorFor(options = {}) {
  return new Redactor({
    mask: options.mask,
    hashKey: options.hash_key,
    knownValues: options.known,
    rules: options.config,
  });
}

test('conformance corpus', { skip: files.length === 0 && 'testdata/conformance has no cases yet' }, async (t) => {
  let cases = 0;
  for (const file of files) {
    const list = JSON.parse(fs.readFileSync(path.join(corpusDir, file), 'utf8'));
    for (const c of list) {
      cases++;
      await t.test(`${file}: ${c.name}`, async () => {
        const options = c.options ?? {};
        const r = redactorFor(options);
        try {
          if (c.input_base64 !== undefined || c.expected_base64 !== undefined) {
            const input = c.input_base64 !== undefined ? Buffer.from(c.input_base64, 'base64') : Buffer.from(c.input);
            const expected =
              c.expected_base64 !== undefined ? Buffer.from(c.expected_base64, 'base64') : Buffer.from(c.expected);
            const out = r.redactBytes(new Uint8Array(input));
            // Compare as base64 so a failure message shows no raw secret-bearing text.
            assert.equal(Buffer.from(out).toString('base64'), expected.toString('base64'), c.name);
          } else if (options.json) {
            assert.equal(r.redactJson(c.input), c.expected, c.name);
          } else {
            assert.equal(r.redact(c.input), c.expected, c.name);
            // The streaming API must agree with the one-shot call for any chunking.
            const { outputs } = await runStream(r.stream(), randomChunks(c.input, cases));
            assert.equal(outputs.join(''), c.expected, `${c.name} (streamed)`);
          }
        } finally {
          r.free();
        }
      });
    }
  }
  assert.ok(cases > 0, 'corpus files hold at least one case');
});
