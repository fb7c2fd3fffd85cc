// The public JavaScript API of hush-wasm, around the raw wasm-bindgen exports.
//
// This file has no import/export statements: scripts/build.mjs wraps it into the
// CommonJS entry for Node (pkg/node/index.cjs) and the ES module for browsers
// (pkg/web/index.js), so both builds share one implementation.
//
// Rules kept here: no eval-like code (the package runs under
// `script-src 'self' 'wasm-unsafe-eval'`), no console output, and no error message that
// could carry input text (only rule ids, byte offsets and option names).

// eslint-disable-next-line no-unused-vars
function createApi(raw) {
  'use strict';

  const encoder = new TextEncoder();
  const disposeSymbol = typeof Symbol.dispose === 'symbol' ? Symbol.dispose : Symbol.for('Symbol.dispose');
  const MASKS = ['redacted', 'label', 'hash', 'partial', 'fill'];
  const OPTION_NAMES = ['mask', 'hashKey', 'knownValues', 'rules', 'gitleaks'];

  /** Base class of every error hush-wasm throws for a reason of its own. */
  class HushError extends Error {
    constructor(message, kind) {
      super(message);
      this.name = 'HushError';
      this.kind = kind;
    }
  }

  /** Invalid options or config text: unknown mask, bad TOML, hash key too short. */
  class ConfigError extends HushError {
    constructor(message, kind = 'config') {
      super(message, kind);
      this.name = 'ConfigError';
    }
  }

  /** A format rule (config or gitleaks) failed to compile or is invalid. */
  class RuleError extends HushError {
    constructor(message, ruleId) {
      super(message, 'rule');
      this.name = 'RuleError';
      this.ruleId = ruleId ?? null;
    }
  }

  /** `redactJson` input is not valid JSON; `offset` is the UTF-8 byte offset. */
  class JsonInputError extends HushError {
    constructor(message, offset) {
      super(message, 'json');
      this.name = 'JsonInputError';
      this.offset = offset ?? null;
    }
  }

  /** A freed redactor or a finished stream was used. */
  class StateError extends HushError {
    constructor(message) {
      super(message, 'state');
      this.name = 'StateError';
    }
  }

  function translate(e) {
    if (e === null || typeof e !== 'object' || e.name !== 'HushRawError') return e;
    switch (e.kind) {
      case 'rule':
        return new RuleError(e.message, e.ruleId);
      case 'json':
        return new JsonInputError(e.message, e.offset);
      case 'state':
        return new StateError(e.message);
      default:
        return new ConfigError(e.message, e.kind);
    }
  }

  function checkString(value, what) {
    if (typeof value !== 'string') {
      throw new TypeError(`${what} must be a string, got ${describeType(value)}`);
    }
  }

  function checkBytes(value, what) {
    if (!(value instanceof Uint8Array)) {
      throw new TypeError(`${what} must be a Uint8Array, got ${describeType(value)}`);
    }
  }

  function describeType(value) {
    if (value === null) return 'null';
    if (typeof value === 'object') return value.constructor?.name ?? 'object';
    return typeof value;
  }

  function toBytes(value, what) {
    if (typeof value === 'string') return encoder.encode(value);
    if (value instanceof Uint8Array) return value;
    throw new TypeError(`${what} must be a string or a Uint8Array, got ${describeType(value)}`);
  }

  function optionalString(value, what) {
    if (value === undefined || value === null) return undefined;
    checkString(value, what);
    return value;
  }

  function makeRaw(options) {
    if (options === undefined || options === null) options = {};
    if (typeof options !== 'object') {
      throw new TypeError(`options must be an object, got ${describeType(options)}`);
    }
    for (const name of Object.keys(options)) {
      if (!OPTION_NAMES.includes(name)) {
        throw new TypeError(`unknown option \`${name}\` (expected one of: ${OPTION_NAMES.join(', ')})`);
      }
    }
    const mask = optionalString(options.mask, 'options.mask');
    if (mask !== undefined && !MASKS.includes(mask)) {
      // The name given is not echoed: a misplaced value may be a secret.
      throw new ConfigError(`unknown mask style (expected one of: ${MASKS.join(', ')})`);
    }
    const hashKey = options.hashKey == null ? undefined : toBytes(options.hashKey, 'options.hashKey');
    const known = [];
    if (options.knownValues != null) {
      if (typeof options.knownValues === 'string' || typeof options.knownValues[Symbol.iterator] !== 'function') {
        throw new TypeError('options.knownValues must be an array of strings or Uint8Arrays');
      }
      let i = 0;
      for (const value of options.knownValues) {
        known.push(toBytes(value, `options.knownValues[${i++}]`));
      }
    }
    const lens = new Uint32Array(known.length);
    let total = 0;
    known.forEach((k, i) => {
      lens[i] = k.length;
      total += k.length;
    });
    const knownBytes = new Uint8Array(total);
    let pos = 0;
    for (const k of known) {
      knownBytes.set(k, pos);
      pos += k.length;
    }
    try {
      return new raw.RawRedactor(
        mask,
        hashKey,
        knownBytes,
        lens,
        optionalString(options.rules, 'options.rules'),
        optionalString(options.gitleaks, 'options.gitleaks'),
      );
    } catch (e) {
      throw translate(e);
    } finally {
      // Best effort: do not leave a second copy of the secrets in the JS heap.
      knownBytes.fill(0);
    }
  }

  const KINDS = ['key', 'format', 'known'];

  // Large texts are encoded straight into the module's memory with encodeInto, which is
  // much faster than wasm-bindgen's per-character string passing. The buffer is sized
  // for ASCII (one byte per code unit); text that does not fit (non-ASCII beyond the
  // slack) takes the ordinary path.
  const IN_PLACE_MIN = 4096;
  const memory = raw.wasmMemory();

  /** Encodes `text` into the input buffer; returns its byte length or -1 if it did not fit. */
  /**
   * The redacted text from the input string and the core's edits (see
   * `redactInputEdits`): the unchanged text is sliced from `text`, never decoded again.
   */
  function applyEdits(text, masks, edits) {
    // Concatenation, not an array join: V8 keeps slices of `text` as they are and joins
    // them when the string is first read as a whole.
    let out = '';
    let at = 0;
    let m = 0;
    for (let i = 0; i < edits.length; i += 3) {
      out += text.slice(at, edits[i]) + masks.slice(m, m + edits[i + 2]);
      at = edits[i + 1];
      m += edits[i + 2];
    }
    return out + text.slice(at);
  }

  function encodeInPlace(text) {
    if (text.length < IN_PLACE_MIN) return -1;
    const cap = text.length + 64;
    const ptr = raw.inputBuffer(cap);
    // Take the view after allocating: growing the memory replaces its buffer.
    const { read, written } = encoder.encodeInto(text, new Uint8Array(memory.buffer, ptr, cap));
    if (read !== text.length) return -1;
    return written;
  }

  /**
   * A redacting TransformStream with the core's guarantee: the concatenated output is
   * exactly `redact` of the concatenated input, however the input is chunked.
   */
  class RedactStream extends TransformStream {
    #state;
    #report = null;
    #controller = null;
    #text;
    #heldSurrogate = '';

    constructor(rawStream, text) {
      // The transformer runs before super() returns (start) and after; it reaches the
      // instance through `self`, set once `this` exists.
      let self = null;
      let startController = null;
      super({
        start: (controller) => {
          startController = controller;
        },
        transform: (chunk, controller) => self.#transform(chunk, controller),
        flush: (controller) => self.#flush(controller),
        cancel: () => self.#release(),
      });
      self = this;
      this.#controller = startController;
      this.#state = rawStream;
      this.#text = text;
    }

    #transform(chunk, controller) {
      let out;
      try {
        if (this.#text) {
          checkString(chunk, 'stream chunk');
          let input = this.#heldSurrogate + chunk;
          this.#heldSurrogate = '';
          // A surrogate pair split between chunks must be rejoined before encoding.
          const last = input.charCodeAt(input.length - 1);
          if (last >= 0xd800 && last <= 0xdbff) {
            this.#heldSurrogate = input.slice(-1);
            input = input.slice(0, -1);
          }
          out = this.#live().writeText(input);
        } else {
          checkBytes(chunk, 'stream chunk');
          out = this.#live().writeBytes(chunk);
        }
      } catch (e) {
        this.#release();
        throw translate(e);
      }
      if (out.length > 0) controller.enqueue(out);
    }

    #flush(controller) {
      let out;
      try {
        const state = this.#live();
        if (this.#text) {
          const head = this.#heldSurrogate ? state.writeText(this.#heldSurrogate) : '';
          this.#heldSurrogate = '';
          out = head + state.finishText();
        } else {
          out = state.finishBytes();
        }
        this.#report = state.report();
      } catch (e) {
        this.#release();
        throw translate(e);
      }
      this.#release();
      if (out.length > 0) controller.enqueue(out);
    }

    #live() {
      if (!this.#state) throw new StateError('the stream is already finished');
      return this.#state;
    }

    #release() {
      if (this.#state) {
        this.#state.free();
        this.#state = undefined;
      }
    }

    /**
     * Releases the partial line held back so far up to its safe point (core
     * `flush_partial`): text before any construct that could still become a secret.
     * Useful for interactive streams; output may then differ from one-shot `redact`
     * only in that a secret split by the flush is masked as far as it was seen.
     */
    flushPartial() {
      if (!this.#state || !this.#controller) return;
      let out;
      try {
        out = this.#text ? this.#state.flushPartialText() : this.#state.flushPartialBytes();
      } catch (e) {
        throw translate(e);
      }
      if (out.length > 0) this.#controller.enqueue(out);
    }

    /** What was masked so far; complete once the stream has been flushed. */
    report() {
      if (this.#report) return this.#report;
      if (this.#state) return this.#state.report();
      return { rules: {}, total: 0, bytesIn: 0, bytesOut: 0, lines: 0 };
    }
  }

  /** A compiled redactor. Immutable; build one and reuse it. */
  class Redactor {
    #raw;

    constructor(options) {
      this.#raw = makeRaw(options);
    }

    #live() {
      if (!this.#raw) throw new StateError('this Redactor has been freed');
      return this.#raw;
    }

    /** Redacts text. */
    redact(text) {
      checkString(text, 'text');
      const r = this.#live();
      const len = encodeInPlace(text);
      if (len < 0) {
        const out = r.redact(text);
        return out === undefined ? text : out;
      }
      // One byte per code unit: the text is ASCII, and byte offsets are string offsets.
      const res = r.redactInputEdits(len, len === text.length);
      if (res === undefined) return text;
      return typeof res === 'string' ? res : applyEdits(text, res[0], res[1]);
    }

    /** Redacts bytes (any encoding; non-UTF-8 bytes pass through). Returns a new array. */
    redactBytes(data) {
      checkBytes(data, 'data');
      const out = this.#live().redactBytes(data);
      return out === undefined ? data.slice() : out;
    }

    /** Redacts JSON text: keys at any depth act as key rules; the output is valid JSON. */
    redactJson(text) {
      checkString(text, 'text');
      let out;
      try {
        out = this.#live().redactJson(text);
      } catch (e) {
        throw translate(e);
      }
      return out === undefined ? text : out;
    }

    /** Redacts text and reports what was masked. */
    redactWithReport(text) {
      checkString(text, 'text');
      const r = this.#live();
      const len = encodeInPlace(text);
      const [out, report] = len >= 0 ? r.redactInputWithReport(len) : r.redactWithReport(text);
      return { text: out === undefined ? text : out, report };
    }

    /** Finds secrets without rewriting; offsets are UTF-16 code units (string indices). */
    scan(text) {
      checkString(text, 'text');
      const [packed, ids] = this.#live().scan(text);
      const findings = new Array(ids.length);
      for (let i = 0; i < ids.length; i++) {
        findings[i] = {
          ruleId: ids[i],
          kind: KINDS[packed[4 * i + 2]],
          start: packed[4 * i],
          end: packed[4 * i + 1],
          truncated: packed[4 * i + 3] === 1,
        };
      }
      return findings;
    }

    /** A TransformStream<string, string> that redacts. */
    stream() {
      return new RedactStream(this.#live().textStream(), true);
    }

    /** A TransformStream<Uint8Array, Uint8Array> that redacts. */
    byteStream() {
      return new RedactStream(this.#live().byteStream(), false);
    }

    /** Every rule, active and inactive. */
    rules() {
      return this.#live().rules();
    }

    /** Warnings from building (never contain secret values). */
    warnings() {
      return this.#live().warnings();
    }

    /** The mask style in use. */
    get mask() {
      return this.#live().maskStyle();
    }

    /** Releases the WebAssembly memory now (a forgotten `free` is reclaimed by GC). */
    free() {
      if (this.#raw) {
        this.#raw.free();
        this.#raw = undefined;
      }
    }

    /** Same as `free`, for `using redactor = new Redactor()`. */
    [disposeSymbol]() {
      this.free();
    }
  }

  return Object.freeze({
    Redactor,
    RedactStream,
    HushError,
    ConfigError,
    RuleError,
    JsonInputError,
    StateError,
    MASK_STYLES: Object.freeze(MASKS.slice()),
  });
}
