// Types of hush-wasm: the hush secret redactor for JavaScript (Node.js and browsers).

/** Mask style: what replaces a secret. */
export type MaskStyle = 'redacted' | 'label' | 'hash' | 'partial' | 'fill';

/** The mask style names, in documentation order. */
export declare const MASK_STYLES: readonly MaskStyle[];

/** Options of `new Redactor(options)`; they mirror the TOML config. */
export interface RedactorOptions {
  /**
   * `redacted` (default): `[REDACTED]`; `label`: `[REDACTED:<rule-id>]`;
   * `hash`: `[REDACTED:h:<8 hex>]` (needs `hashKey`); `partial`: vendor prefix and last 4
   * characters; `fill`: `*` for every byte.
   */
  mask?: MaskStyle;
  /** Key for the `hash` mask and fingerprints, at least 16 bytes. */
  hashKey?: string | Uint8Array;
  /**
   * The real secrets, matched anywhere and in encoded forms. Their rule ids are
   * `known:api:1`, `known:api:2`, … in the order given.
   */
  knownValues?: Iterable<string | Uint8Array>;
  /** hush config as TOML text (the file the CLI reads with `--config`). */
  rules?: string;
  /** A gitleaks rule file as TOML text; its rules are added to the built-in ones. */
  gitleaks?: string;
}

/** The rule family of a finding. */
export type RuleKind = 'key' | 'format' | 'known';

/** Where a secret was found. Offsets are UTF-16 code units: `text.slice(start, end)`. */
export interface Finding {
  /** The rule that matched, such as `key:password`, `github-pat`, `known:api:1`. */
  ruleId: string;
  kind: RuleKind;
  /** Start index (inclusive) of the masked span. */
  start: number;
  /** End index (exclusive) of the masked span. */
  end: number;
  /** The match reached a length cap and was masked up to it (fail closed). */
  truncated: boolean;
}

/** Counts for one rule. */
export interface RuleCount {
  kind: RuleKind | null;
  /** Masked spans. */
  count: number;
  /** Spans that reached a length cap. */
  truncated: number;
}

/** What a redaction did. Contains rule ids and numbers, never secret text. */
export interface Report {
  /** Counts per rule id (only rules that fired). */
  rules: Record<string, RuleCount>;
  /** Total masked spans. */
  total: number;
  /** UTF-8 bytes read. */
  bytesIn: number;
  /** UTF-8 bytes written. */
  bytesOut: number;
  /** Lines seen (a final line without a newline counts). */
  lines: number;
}

/** A rule as listed by `rules()`. */
export interface RuleInfo {
  id: string;
  kind: RuleKind;
  description: string;
  /** Longest match in bytes; `null` for inactive rules. */
  bound: number | null;
  /** `builtin`, `gitleaks`, `config` or `known`. */
  source: string;
  active: boolean;
  /** Why the rule is inactive, or what covers it. */
  reason: string | null;
}

/**
 * A redacting TransformStream. However the input is chunked, the concatenated output
 * equals one-shot `redact` of the concatenated input; complete lines are released as
 * soon as their newline arrives.
 */
export declare class RedactStream<T extends string | Uint8Array> extends TransformStream<T, T> {
  private constructor();
  /** What was masked so far; complete once the writable side is closed. */
  report(): Report;
  /**
   * Releases the held partial line up to its safe point (text before anything that
   * could still become a secret), for interactive streams.
   */
  flushPartial(): void;
}

/** A compiled, immutable redactor. Build once, reuse, `free()` (or `using`) when done. */
export declare class Redactor {
  /** @throws {ConfigError} invalid options or config; {@link RuleError} a bad rule. */
  constructor(options?: RedactorOptions);
  /** Redacts text. */
  redact(text: string): string;
  /** Redacts bytes in any encoding; returns a new array. */
  redactBytes(data: Uint8Array): Uint8Array;
  /**
   * Redacts JSON text: keys at any depth act as key rules, string values are redacted
   * as text, and the result is valid JSON with the same keys.
   * @throws {JsonInputError} the input is not valid JSON.
   */
  redactJson(text: string): string;
  /** Redacts text and reports what was masked. */
  redactWithReport(text: string): { text: string; report: Report };
  /** Finds secrets without rewriting, in order. */
  scan(text: string): Finding[];
  /** A `TransformStream<string, string>` that redacts. */
  stream(): RedactStream<string>;
  /** A `TransformStream<Uint8Array, Uint8Array>` that redacts. */
  byteStream(): RedactStream<Uint8Array>;
  /** Every rule, active and inactive. */
  rules(): RuleInfo[];
  /** Warnings from building (never contain secret values). */
  warnings(): string[];
  /** The mask style in use. */
  readonly mask: MaskStyle;
  /** Releases the WebAssembly memory now. Later calls throw {@link StateError}. */
  free(): void;
  /** Same as `free()`, for `using redactor = new Redactor()`. */
  [Symbol.dispose](): void;
}

/** Base class of the errors hush-wasm throws. Messages never contain input or secret text. */
export declare class HushError extends Error {
  /** `config`, `rule`, `source`, `io`, `limit`, `json` or `state`. */
  readonly kind: string;
}

/** Invalid options or config: unknown mask, malformed TOML, hash key too short. */
export declare class ConfigError extends HushError {}

/** A format rule failed to compile or is invalid. */
export declare class RuleError extends HushError {
  readonly ruleId: string | null;
}

/** `redactJson` input is not valid JSON. */
export declare class JsonInputError extends HushError {
  /** UTF-8 byte offset where parsing failed. */
  readonly offset: number | null;
}

/** A freed `Redactor` or a finished stream was used. */
export declare class StateError extends HushError {}

declare const api: {
  Redactor: typeof Redactor;
  RedactStream: typeof RedactStream;
  HushError: typeof HushError;
  ConfigError: typeof ConfigError;
  RuleError: typeof RuleError;
  JsonInputError: typeof JsonInputError;
  StateError: typeof StateError;
  MASK_STYLES: typeof MASK_STYLES;
};
export default api;
