// The JavaScript API of the Node build: loading, redaction, offsets, streams, errors.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Redactor, HushError, ConfigError, JsonInputError, StateError, RedactStream, MASK_STYLES } from 'hush-wasm';
import helpers from './helpers.cjs';

const { runStream, randomChunks, concatBytes } = helpers;
const require = createRequire(import.meta.url);
const SECRET = 'plum-Orbit-4471';

test('loads through require and import() without an init call', async () => {
  const viaRequire = require('hush-wasm');
  const viaImport = await import('hush-wasm');
  assert.equal(typeof viaRequire.Redactor, 'function');
  assert.equal(viaImport.Redactor, viaRequire.Redactor);
  assert.equal(new viaRequire.Redactor().redact('DB_PASSWORD=plum-Orbit-4471'), 'DB_PASSWORD=[REDACTED]');
  assert.deepEqual([...MASK_STYLES], ['redacted', 'label', 'hash', 'partial', 'fill']);
});

test('redact: long texts (rebuilt from the input and the masks) equal the bytes path', () => {
  const lines = [
    `café user=bob password=hunter22 ünïcödé 😀\n`,
    `login with ${SECRET} from 東京 token=${'x'.repeat(30)}é\n`,
    `{"api_key":"sk_live_${'a1B2'.repeat(6)}","note":"naïve 😀😀"}\n`,
    `Authorization: Bearer ${'Zq9'.repeat(12)}😀\n`,
    'plain line with nothing in it, but long enough to matter\n',
  ];
  const text = lines.join('').repeat(80) + 'tail password=été😀';
  assert.ok(text.length > 8192);
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  for (const options of [
    { knownValues: [SECRET] },
    { knownValues: [SECRET], mask: 'label' },
    { knownValues: [SECRET], mask: 'partial' },
    { knownValues: [SECRET], mask: 'fill' },
    { knownValues: [SECRET], mask: 'hash', hashKey: '0123456789abcdef' },
  ]) {
    const r = new Redactor(options);
    const out = r.redact(text);
    assert.equal(out, dec.decode(r.redactBytes(enc.encode(text))), `mask ${options.mask ?? 'redacted'}`);
    assert.ok(!out.includes('hunter22') && !out.includes(SECRET), 'secrets masked');
    assert.ok(out.includes('東京') && out.includes('😀'), 'other text kept');
    r.free();
  }
});

test('redact: key names, known values, mask styles', () => {
  const r = new Redactor({ knownValues: [SECRET], mask: 'label' });
  assert.equal(r.redact(`login with ${SECRET} failed`), 'login with [REDACTED:known:api:1] failed');
  assert.equal(r.redact('nothing to see\n'), 'nothing to see\n');
  assert.equal(r.mask, 'label');
  const plain = new Redactor();
  assert.equal(plain.redact('user=bob password=hunter22\n'), 'user=bob password=[REDACTED]\n');
  const hashed = new Redactor({ mask: 'hash', hashKey: '0123456789abcdef', knownValues: [SECRET] });
  const out = hashed.redact(`a ${SECRET} b ${SECRET}`);
  const tags = out.match(/\[REDACTED:h:[0-9a-f]{8}\]/g);
  assert.equal(tags.length, 2);
  assert.equal(tags[0], tags[1], 'the same secret gives the same tag');
  assert.ok(!out.includes(SECRET));
});

test('redactBytes keeps bytes that are not UTF-8', () => {
  const r = new Redactor({ knownValues: [SECRET] });
  const input = concatBytes([Uint8Array.of(0xff, 0xfe, 0x20), new TextEncoder().encode(`${SECRET} \n`), Uint8Array.of(0xc3)]);
  const out = r.redactBytes(input);
  const expected = concatBytes([Uint8Array.of(0xff, 0xfe, 0x20), new TextEncoder().encode('[REDACTED] \n'), Uint8Array.of(0xc3)]);
  assert.deepEqual(out, expected);
  const clean = Uint8Array.of(1, 2, 3);
  const copy = r.redactBytes(clean);
  assert.deepEqual(copy, clean);
  assert.notEqual(copy, clean, 'a new array even when nothing changed');
});

test('redactWithReport counts per rule', () => {
  const r = new Redactor({ knownValues: [SECRET] });
  const { text, report } = r.redactWithReport(`x ${SECRET}\npassword=hunter22\n${SECRET}\n`);
  assert.equal(text, 'x [REDACTED]\npassword=[REDACTED]\n[REDACTED]\n');
  assert.equal(report.rules['known:api:1'].count, 2);
  assert.equal(report.rules['known:api:1'].kind, 'known');
  assert.equal(report.rules['key:password'].count, 1);
  assert.equal(report.total, 3);
  assert.equal(report.lines, 3);
  assert.equal(report.bytesIn, new TextEncoder().encode(`x ${SECRET}\npassword=hunter22\n${SECRET}\n`).length);
});

test('scan reports UTF-16 offsets on non-ASCII text', () => {
  const r = new Redactor({ knownValues: [SECRET] });
  const text = `é€😀 ${SECRET} ünïcødé 🎉🎉 password=hunter22 ${SECRET}`;
  const findings = r.scan(text);
  assert.deepEqual(
    findings.map((f) => [f.ruleId, f.kind, text.slice(f.start, f.end)]),
    [
      ['known:api:1', 'known', SECRET],
      ['key:password', 'key', 'hunter22'],
      ['known:api:1', 'known', SECRET],
    ],
  );
  assert.equal(findings[0].start, 5, '"é€😀 " is 5 UTF-16 code units (8 UTF-8 bytes)');
  for (const f of findings) assert.equal(f.truncated, false);
  assert.deepEqual(r.scan('no secrets here'), []);
});

const CORPUS = [
  '2024-05-01T10:00:00Z INFO connect user=app password=plum orbit host=db ✓\n',
  `2024-05-01T10:00:01Z WARN retrying with ${SECRET} (attempt 2) — naïve 😀\n`,
  'Authorization: Bearer 9f8e7d6c5b4a39281706f5e4\n',
  'token=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c\n',
  '{"db": {"password": "s3cr3t-value", "user": "app"}}\n',
  `no newline at the end ${SECRET}`,
].join('');

test('text stream equals one-shot redact over random chunkings', async () => {
  const r = new Redactor({ knownValues: [SECRET] });
  const expected = r.redactWithReport(CORPUS);
  assert.notEqual(expected.text, CORPUS);
  for (let seed = 1; seed <= 60; seed++) {
    const chunks = randomChunks(CORPUS, seed, seed % 3 === 0 ? 3 : 40);
    const s = r.stream();
    assert.ok(s instanceof RedactStream && s instanceof TransformStream);
    const { outputs, report } = await runStream(s, chunks);
    assert.equal(outputs.join(''), expected.text, `seed ${seed}`);
    assert.deepEqual(report.rules, expected.report.rules, `seed ${seed}`);
    for (const o of outputs) assert.ok(o.length > 0, 'no empty chunks');
  }
});

test('byte stream equals one-shot redactBytes over random chunkings', async () => {
  const r = new Redactor({ knownValues: [SECRET] });
  const input = new TextEncoder().encode(CORPUS);
  const expected = r.redactBytes(input);
  for (let seed = 1; seed <= 60; seed++) {
    const chunks = randomChunks(Array.from(input), seed, 23).map((a) => Uint8Array.from(a));
    const { outputs } = await runStream(r.byteStream(), chunks);
    assert.deepEqual(concatBytes(outputs), expected, `seed ${seed}`);
  }
});

test('text stream releases complete lines as they arrive', async () => {
  const r = new Redactor();
  const s = r.stream();
  const writer = s.writable.getWriter();
  const reader = s.readable.getReader();
  writer.write('user=bob pass');
  writer.write('word=hunter22\nnext li');
  const first = await reader.read();
  assert.equal(first.value, 'user=bob password=[REDACTED]\n');
  writer.close();
  assert.equal((await reader.read()).value, 'next li');
  assert.equal((await reader.read()).done, true);
  assert.equal(s.report().rules['key:password'].count, 1);
});

test('flushPartial releases text before a possible secret', async () => {
  const r = new Redactor({ knownValues: [SECRET] });
  const s = r.stream();
  const writer = s.writable.getWriter();
  const reader = s.readable.getReader();
  // The readable side applies backpressure: read first so the write gets transformed.
  const pendingRead = reader.read();
  await writer.write('prompt> waiting ');
  s.flushPartial();
  const released = await pendingRead;
  assert.ok('prompt> waiting '.startsWith(released.value) && released.value.length > 0);
  writer.write(`${SECRET}\n`);
  writer.close();
  let rest = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    rest += value;
  }
  assert.equal(released.value + rest, 'prompt> waiting [REDACTED]\n');
});

test('errors are Error subclasses with clear messages and no secrets', () => {
  const unknownMask = assert.throws(() => new Redactor({ mask: 'sparkles' }), ConfigError);
  assert.throws(() => new Redactor({ mask: 'sparkles' }), (e) => e instanceof HushError && e instanceof Error);
  assert.throws(() => new Redactor({ mask: 'sparkles' }), /unknown mask style \(expected one of: redacted/);
  assert.equal(unknownMask, undefined);
  assert.throws(() => new Redactor({ mask: 'hash' }), (e) => e instanceof ConfigError && /hash key/.test(e.message));
  assert.throws(
    () => new Redactor({ mask: 'hash', hashKey: 'tiny-k3y-9' }),
    (e) => e instanceof ConfigError && /at least 16/.test(e.message) && !e.message.includes('tiny-k3y-9'),
  );
  assert.throws(() => new Redactor({ knownValue: [SECRET] }), (e) => e instanceof TypeError && /unknown option `knownValue`/.test(e.message));
  assert.throws(() => new Redactor({ knownValues: SECRET }), TypeError);
  assert.throws(() => new Redactor({ knownValues: [42] }), TypeError);
  const r = new Redactor();
  assert.throws(() => r.redact(42), TypeError);
  assert.throws(() => r.redactBytes('text'), TypeError);
  const bad = '{"password": "hunter22-secret", oops}';
  assert.throws(
    () => r.redactJson(bad),
    (e) => e instanceof JsonInputError && e instanceof HushError && typeof e.offset === 'number' && !e.message.includes('hunter22'),
  );
});

test('redactJson redacts keys at any depth and keeps valid JSON', () => {
  const r = new Redactor();
  const out = r.redactJson('{"db": {"password": "hunter22", "user": "app"}, "n": [1, 2]}');
  assert.deepEqual(JSON.parse(out), { db: { password: '[REDACTED]', user: 'app' }, n: [1, 2] });
});

test('free, Symbol.dispose and finished streams', async () => {
  const r = new Redactor();
  r.free();
  assert.throws(() => r.redact('x'), (e) => e instanceof StateError && /freed/.test(e.message));
  r.free(); // idempotent
  // `using d = new Redactor()` calls this on scope exit (syntax not in Node 20 yet).
  const disposed = new Redactor();
  assert.equal(typeof disposed[Symbol.dispose], 'function');
  disposed[Symbol.dispose]();
  assert.throws(() => disposed.scan('x'), StateError);
  const live = new Redactor();
  const s = live.stream();
  const writer = s.writable.getWriter();
  const reader = s.readable.getReader();
  const reading = reader.read();
  await writer.write('password=hunter22\n');
  assert.equal((await reading).value, 'password=[REDACTED]\n');
  await writer.close();
  assert.equal(s.report().total, 1, 'report survives the end of the stream');
  live.free();
});

test('stream chunk type errors fail the stream', async () => {
  const r = new Redactor();
  await assert.rejects(runStream(r.stream(), [new Uint8Array(3)]), TypeError);
  await assert.rejects(runStream(r.byteStream(), ['text']), TypeError);
});

test('rules() lists active rules with their families', () => {
  const r = new Redactor({ knownValues: [SECRET] });
  const rules = r.rules();
  assert.ok(rules.length >= 5);
  const known = rules.find((x) => x.id === 'known:api:1');
  assert.equal(known.kind, 'known');
  assert.equal(known.source, 'known');
  const jwt = rules.find((x) => x.id === 'jwt');
  assert.equal(jwt.kind, 'format');
  assert.equal(jwt.source, 'builtin');
  assert.equal(jwt.active, true);
  assert.ok(rules.every((x) => typeof x.description === 'string'));
  assert.ok(JSON.stringify(rules).indexOf(SECRET) === -1, 'rule listing never shows known values');
});

test('large texts (encoded in place) redact like bytes, ASCII or not', () => {
  const r = new Redactor({ knownValues: [SECRET] });
  for (const filler of ['plain ascii filler line\n', 'ünïcødé filler 😀 line\n']) {
    const text = `${filler.repeat(400)}password=hunter22\nsaw ${SECRET} once\n${filler.repeat(400)}`;
    assert.ok(text.length > 4096);
    const viaBytes = new TextDecoder().decode(r.redactBytes(new TextEncoder().encode(text)));
    assert.equal(r.redact(text), viaBytes);
    assert.ok(!viaBytes.includes(SECRET) && !viaBytes.includes('hunter22'));
    const { text: out, report } = r.redactWithReport(text);
    assert.equal(out, viaBytes);
    assert.equal(report.total, 2);
    const clean = filler.repeat(500);
    assert.equal(r.redact(clean), clean);
  }
  r.free();
});
