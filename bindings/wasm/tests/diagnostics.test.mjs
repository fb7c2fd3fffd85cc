// No secret in error messages: every error path of the JavaScript API, fed with secrets
// placed where a careless message would quote them (bad options, bad config and gitleaks
// TOML, bad regexes, short known values and hash keys, invalid JSON, stream misuse). Each
// error is checked through message, stack, String(err) and its own properties.
// Assertion messages name the case, never the text.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Redactor, HushError, ConfigError, RuleError, JsonInputError, StateError } from 'hush-wasm';

const SECRET = 'plum-Orbit-4471';
const SECRET2 = 'Vault-Key-99x7Q';
const SHORT = 'xq7z9';
const SECRETS = [SECRET, SECRET2, SHORT];

/** Every rendering of `err` (and of its `cause`, if any). */
function renderings(err) {
  const out = [];
  for (let e = err, depth = 0; e != null && depth < 5; e = e.cause, depth++) {
    out.push(String(e), String(e.message), String(e.stack));
    if (typeof e === 'object') {
      out.push(JSON.stringify(Object.fromEntries(Object.entries(e))));
    }
  }
  return out;
}

/** Asserts `call` throws an instance of `cls` whose renderings hold no secret. */
function assertClean(name, call, cls) {
  let caught = null;
  try {
    call();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught !== null, `${name}: did not throw`);
  assert.ok(caught instanceof cls, `${name}: threw ${caught?.name}, not ${cls.name}`);
  for (const text of renderings(caught)) {
    const leaked = SECRETS.findIndex((s) => text.includes(s));
    assert.equal(leaked, -1, `${name}: secret #${leaked} in the error text`);
  }
}

async function assertRejectsClean(name, promise, cls) {
  let caught = null;
  try {
    await promise;
  } catch (e) {
    caught = e;
  }
  assertClean(name, () => {
    if (caught) throw caught;
  }, cls);
}

const BAD_CONFIGS = {
  'unterminated array': `known_values = ["${SECRET}"\nmask = "label"\n`,
  'string for a list': `known_values = "${SECRET}"\n`,
  'number in the list': `known_values = ["${SECRET}", 5]\n`,
  'bad escape': `known_values = ["\\q${SECRET}"]\n`,
  'unquoted value': `known_values = [${SECRET}]\n`,
  'bare secret line': `mask = "label"\n${SECRET}\n`,
  'duplicate key': `known_values = ["${SECRET}"]\nknown_values = ["${SECRET2}"]\n`,
  'string for a number': `line_cap = "${SECRET}"\n`,
  'mask name': `mask = "${SECRET}"\n`,
  'short known value': `known_values = ["${SECRET}", "${SHORT}"]\n`,
  'allow regex': `allow_regexes = ["[${SECRET}"]\n`,
};

test('bad config text never quotes a value', () => {
  for (const [name, rules] of Object.entries(BAD_CONFIGS)) {
    assertClean(name, () => new Redactor({ rules }), HushError);
  }
  assertClean('rule regex', () => new Redactor({ rules: `[[rules]]\nid = "r"\nregex = "(${SECRET}"\n` }), RuleError);
  assertClean(
    'rule secret group',
    () => new Redactor({ rules: `[[rules]]\nid = "r"\nregex = "${SECRET}"\nsecret_group = 2\n` }),
    RuleError,
  );
});

test('bad gitleaks text never quotes a value', () => {
  const cases = {
    regex: `[[rules]]\nid = "g"\nregex = "(${SECRET}"\n`,
    'unterminated string': `title = "${SECRET}\n`,
    'keywords type': `[[rules]]\nid = "g"\nregex = "a"\nkeywords = "${SECRET}"\n`,
    'secret group': `[[rules]]\nid = "g"\nregex = "${SECRET}"\nsecretGroup = 3\n`,
    'allowlist regex': `[allowlist]\nregexes = ["(${SECRET}"]\n`,
  };
  for (const [name, gitleaks] of Object.entries(cases)) {
    assertClean(name, () => new Redactor({ gitleaks }), HushError);
  }
});

test('bad options never quote a value', () => {
  assertClean('mask name', () => new Redactor({ mask: SECRET }), ConfigError);
  assertClean('mask type', () => new Redactor({ mask: [SECRET] }), TypeError);
  assertClean('short known value', () => new Redactor({ knownValues: [SECRET, SHORT] }), ConfigError);
  assertClean('known value type', () => new Redactor({ knownValues: [SECRET, 5] }), TypeError);
  assertClean('known values not a list', () => new Redactor({ knownValues: SECRET }), TypeError);
  assertClean('short hash key', () => new Redactor({ mask: 'hash', hashKey: SECRET }), ConfigError);
  assertClean('hash key type', () => new Redactor({ mask: 'hash', hashKey: { key: SECRET } }), TypeError);
  assertClean('rules type', () => new Redactor({ rules: { text: SECRET } }), TypeError);
  assertClean('options type', () => new Redactor(SECRET), TypeError);
});

test('invalid JSON and wrong input types never quote the input', () => {
  const r = new Redactor();
  for (const text of [`{"password":"${SECRET}`, `{"a":"${SECRET}",`, `["${SECRET}" "${SECRET2}"]`]) {
    assertClean('invalid JSON', () => r.redactJson(text), JsonInputError);
  }
  assertClean('redact(bytes)', () => r.redact(new TextEncoder().encode(SECRET)), TypeError);
  assertClean('redact(object)', () => r.redact({ password: SECRET }), TypeError);
  assertClean('redactBytes(string)', () => r.redactBytes(SECRET), TypeError);
  assertClean('scan(number)', () => r.scan(4471), TypeError);
  r.free();
  assertClean('use after free', () => r.redact(`password=${SECRET}`), StateError);
});

/** Reads every chunk of `readable`. */
async function collect(readable) {
  const reader = readable.getReader();
  const chunks = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}

test('stream misuse never quotes a chunk', async () => {
  const r = new Redactor();
  const text = r.stream();
  const writer = text.writable.getWriter();
  const reading = collect(text.readable);
  await assertRejectsClean('bytes into a text stream', writer.write(new TextEncoder().encode(SECRET)), TypeError);
  await assertRejectsClean('text stream after the error', reading, TypeError);

  const bytes = r.byteStream();
  const bw = bytes.writable.getWriter();
  const bytesReading = collect(bytes.readable);
  await assertRejectsClean('text into a byte stream', bw.write(`password=${SECRET}`), TypeError);
  await assertRejectsClean('byte stream after the error', bytesReading, TypeError);

  const done = r.stream();
  const dw = done.writable.getWriter();
  const doneReading = collect(done.readable);
  await dw.write(`password=${SECRET}\n`);
  await dw.close();
  assert.equal((await doneReading).join(''), 'password=[REDACTED]\n');
  // A second write to the errored text stream gets the stored error again.
  await assertRejectsClean('write after the error', writer.write(SECRET2), TypeError);
});

test('lone surrogates are redacted, not thrown', () => {
  const r = new Redactor({ knownValues: [SECRET] });
  const out = r.redact(`password=${SECRET}\ud800 and ${SECRET}\udfff`);
  assert.ok(!out.includes(SECRET), 'a secret survived');
});
