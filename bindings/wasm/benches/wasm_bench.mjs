// Throughput of hush-wasm in Node against the native core and a plain JS RegExp.
//
//   node benches/wasm_bench.mjs [--mb 32] [--no-native]
//
// One corpus, generated deterministically and held in memory: `redact(string)`
// (including the string <-> UTF-8 conversions) vs the native core's `redact` on the same
// bytes (examples/native_bench.rs, release build) vs one RegExp alternation of 20 secret
// patterns with String.prototype.replace. Prints a table and a JSON line.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redactor } from 'hush-wasm';

const args = process.argv.slice(2);
const mb = Number(args[args.indexOf('--mb') + 1]) || 32;
const withNative = !args.includes('--no-native');
const pkgRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A log corpus: mostly ordinary lines, about 2% carrying a secret. */
function makeCorpus(targetBytes) {
  let seed = 42;
  const rnd = (n) => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed % n;
  };
  const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const token = (n) => Array.from({ length: n }, () => alnum[rnd(alnum.length)]).join('');
  const plain = [
    () => `GET /api/v1/orders/${rnd(99999)}?page=${rnd(40)} HTTP/1.1" 200 ${rnd(9000)} "Mozilla/5.0"`,
    () => `INFO  worker-${rnd(16)} processed batch ${rnd(1e6)} in ${rnd(900)}ms (queue depth ${rnd(300)})`,
    () => `DEBUG cache hit ratio=${rnd(100)}% evictions=${rnd(50)} size=${rnd(4096)}MiB region=eu-west-${rnd(3)}`,
    () => `{"level":"info","ts":"2024-05-01T10:${rnd(60)}:${rnd(60)}Z","msg":"request done","status":${200 + rnd(5)},"user":"u${rnd(9999)}"}`,
    () => `WARN  connection reset by peer 10.0.${rnd(255)}.${rnd(255)}:${1024 + rnd(60000)}, retrying in ${rnd(30)}s`,
    () => `ERROR failed to parse config section [server.tls]: expected table, found string at line ${rnd(400)}`,
  ];
  const secret = [
    () => `INFO  connect user=app password=${token(14)} host=db-${rnd(9)}`,
    () => `DEBUG upstream request Authorization: Bearer ${token(32)}`,
    () => `WARN  using access key AKIA${token(16).toUpperCase()} for s3 upload`,
    () => `INFO  cloned with ghp_${token(36)}`,
    () => `DEBUG session eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ${token(20)}.${token(43)}`,
    () => `{"level":"debug","msg":"login","api_key":"${token(32)}"}`,
  ];
  const lines = [];
  let size = 0;
  let n = 0;
  while (size < targetBytes) {
    const pick = rnd(100) < 2 ? secret[rnd(secret.length)] : plain[rnd(plain.length)];
    const line = `2024-05-01 10:00:${String(n++ % 60).padStart(2, '0')} ${pick()}\n`;
    lines.push(line);
    size += line.length;
  }
  return lines.join('');
}

/** One alternation of 20 common secret patterns: the "obvious" JS approach. */
const JS_REGEX = new RegExp(
  [
    'AKIA[0-9A-Z]{16}',
    'ghp_[A-Za-z0-9]{36}',
    'gho_[A-Za-z0-9]{36}',
    'github_pat_[A-Za-z0-9_]{82}',
    'glpat-[A-Za-z0-9_-]{20}',
    'xox[baprs]-[A-Za-z0-9-]{10,48}',
    'sk_live_[A-Za-z0-9]{24,}',
    'rk_live_[A-Za-z0-9]{24,}',
    'AIza[0-9A-Za-z_-]{35}',
    'npm_[A-Za-z0-9]{36}',
    'SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}',
    'dop_v1_[a-f0-9]{64}',
    'sq0atp-[A-Za-z0-9_-]{22}',
    'hooks\\.slack\\.com/services/[A-Za-z0-9/]+',
    'AccountKey=[A-Za-z0-9+/=]{88}',
    'eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}',
    '-----BEGIN [A-Z ]*PRIVATE KEY-----',
    '[Bb]earer\\s+[A-Za-z0-9._~+/-]+=*',
    '[Bb]asic\\s+[A-Za-z0-9+/]{6,}={0,2}',
    '(?:password|passwd|pwd|secret|token|api_key|apikey)"?\\s*[=:]\\s*"?[^\\s",]+',
  ].join('|'),
  'g',
);

function best(runs, fn) {
  let bestMs = Infinity;
  let result;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = fn();
    bestMs = Math.min(bestMs, performance.now() - t0);
  }
  return { seconds: bestMs / 1000, result };
}

const corpus = makeCorpus(mb * 1e6);
const bytes = Buffer.byteLength(corpus);
const redactor = new Redactor();

best(2, () => redactor.redact(corpus)); // warm-up
const wasm = best(7, () => redactor.redact(corpus));
// The result is a string of slices of the input and masks, which V8 joins into one flat
// string when it is first read by index: measured too, so nothing is left for later.
const wasmRead = best(7, () => {
  const out = redactor.redact(corpus);
  out.charCodeAt(out.length >> 1);
  return out;
});
best(2, () => corpus.replace(JS_REGEX, '[REDACTED]'));
const regex = best(7, () => corpus.replace(JS_REGEX, '[REDACTED]'));

const figures = {
  corpusBytes: bytes,
  maskedByWasm: redactor.redactWithReport(corpus).report.total,
  wasmMBps: bytes / wasm.seconds / 1e6,
  wasmReadMBps: bytes / wasmRead.seconds / 1e6,
  jsRegexMBps: bytes / regex.seconds / 1e6,
};

if (withNative) {
  const dir = mkdtempSync(join(tmpdir(), 'hush-bench-'));
  try {
    const file = join(dir, 'corpus.log');
    writeFileSync(file, corpus);
    const out = execFileSync(
      'cargo',
      ['run', '--quiet', '--release', '-p', 'hush-wasm', '--example', 'native_bench', '--', file, '7'],
      { cwd: pkgRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const native = JSON.parse(out.trim().split('\n').pop());
    figures.nativeMBps = native.mbps;
    figures.maskedByNative = native.masked;
    figures.wasmVsNative = figures.wasmMBps / native.mbps;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
figures.wasmVsJsRegex = figures.wasmMBps / figures.jsRegexMBps;

const fmt = (x) => x.toFixed(1);
console.log(`corpus            ${(bytes / 1e6).toFixed(1)} MB, ${figures.maskedByWasm} secrets masked by hush`);
console.log(`hush-wasm redact  ${fmt(figures.wasmMBps)} MB/s`);
console.log(`  result read     ${fmt(figures.wasmReadMBps)} MB/s  (redact, then one indexed read: the string flattened)`);
if (withNative) console.log(`native core       ${fmt(figures.nativeMBps)} MB/s  (wasm = ${(100 * figures.wasmVsNative).toFixed(0)}% of native; target >= 40%)`);
console.log(`JS RegExp (20)    ${fmt(figures.jsRegexMBps)} MB/s  (wasm = ${figures.wasmVsJsRegex.toFixed(2)}x; target >= 2x)`);
console.log(JSON.stringify(figures));
redactor.free();
