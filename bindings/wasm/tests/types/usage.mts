// Compiled with `tsc` (npm run test:types): the declarations must describe real usage,
// and misuse must be a type error.
import { Redactor, ConfigError, HushError, type Finding, type Report, type RedactStream } from 'hush-wasm';

const r = new Redactor({ mask: 'label', knownValues: ['plum-Orbit-4471', new Uint8Array([1, 2, 3])], rules: 'x = 1' });
const text: string = r.redact('password=hunter22');
const bytes: Uint8Array = r.redactBytes(new Uint8Array(4));
const findings: Finding[] = r.scan(text);
const first: number | undefined = findings[0]?.start;
const { report }: { text: string; report: Report } = r.redactWithReport(text);
const count: number | undefined = report.rules['key:password']?.count;
const s: RedactStream<string> = r.stream();
const ts: TransformStream<string, string> = s;
const b: TransformStream<Uint8Array, Uint8Array> = r.byteStream();
const total: number = s.report().total;
s.flushPartial();
try {
  new Redactor({ mask: 'hash' });
} catch (e) {
  if (e instanceof ConfigError) {
    const k: string = e.kind;
    const isBase: boolean = e instanceof HushError;
    void k, isBase;
  }
}
// @ts-expect-error: not a mask style
new Redactor({ mask: 'sparkles' });
// @ts-expect-error: redact takes a string
r.redact(42);
r[Symbol.dispose]();
void bytes, first, count, ts, b, total;
