/**
 * Every error minframe raises is built here, so messages follow one form:
 * "input 17: GL(3) needs 3 independent rows, found rank 2" — the input index,
 * then the rule. Bad arguments are TypeError (wrong kind) or RangeError (right
 * kind, value out of bounds), raised in TypeScript before any WASM call.
 */

/** Where in a batch an error belongs, so callers can act per input. */
export interface InputErrorInfo {
  readonly input: number;
}

function tag<E extends Error>(e: E, input: number): E & InputErrorInfo {
  return Object.assign(e, { input });
}

/** The input holds the wrong kind of value (not a typed array, wrong field). */
export function inputTypeError(input: number, rule: string): TypeError & InputErrorInfo {
  return tag(new TypeError(`input ${input}: ${rule}`), input);
}

/** The input has the right kind but breaks a rule (length, finiteness, rank). */
export function inputRangeError(input: number, rule: string): RangeError & InputErrorInfo {
  return tag(new RangeError(`input ${input}: ${rule}`), input);
}

/**
 * An input error as plain data, for results that cross to another thread: the kind
 * and the rule, without the input index (the receiver knows the input's place in
 * the whole batch, which the sender may not).
 */
export interface InputFailure {
  failed: 'type' | 'range';
  rule: string;
}

/** The failure of an input error; anything else (a bug, a trap) is re-thrown. */
export function toFailure(e: unknown): InputFailure {
  if (!(e instanceof TypeError || e instanceof RangeError) || typeof (e as Partial<InputErrorInfo>).input !== 'number') throw e;
  return { failed: e instanceof TypeError ? 'type' : 'range', rule: e.message.replace(/^input \d+: /, '') };
}

/** The error of a failure, for input `input` of the batch. */
export function fromFailure(input: number, f: InputFailure): (TypeError | RangeError) & InputErrorInfo {
  return f.failed === 'type' ? inputTypeError(input, f.rule) : inputRangeError(input, f.rule);
}

/** A bad option or argument that belongs to no single input. */
export function optionError(rule: string): TypeError {
  return new TypeError(`minframe: ${rule}`);
}

export function optionRangeError(rule: string): RangeError {
  return new RangeError(`minframe: ${rule}`);
}

/** The user's model threw (or rejected) on input i. */
export function modelError(input: number, cause: unknown): Error & InputErrorInfo {
  const msg = cause instanceof Error ? cause.message : String(cause);
  return tag(new Error(`input ${input}: the model failed: ${msg}`, { cause }), input);
}

/** A worker died or failed while computing inputs [first, last]. */
export class WorkerFailedError extends Error {
  override readonly name = 'WorkerFailedError';
  constructor(readonly first: number, readonly last: number, cause: unknown) {
    super(`minframe: the worker computing inputs ${first}..${last} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** A call stopped by its AbortSignal. */
export function abortError(reason?: unknown): Error {
  if (reason instanceof Error) return reason;
  const e = new Error(reason === undefined ? 'minframe: the call was aborted' : `minframe: the call was aborted: ${String(reason)}`);
  e.name = 'AbortError';
  return e;
}

/**
 * A batch call in `errors: 'throw'` mode that met bad inputs throws the first
 * input's own TypeError/RangeError, carrying every input error and the complete
 * result of the valid inputs, so nothing computed is lost.
 */
export function withBatchResult<E extends Error>(first: E, errors: ReadonlyArray<Error>, result: unknown): E {
  return Object.assign(first, { errors, result });
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  if (Array.isArray(value)) return 'Array';
  return typeof value;
}

/** A call on an engine after `close()` (or cut short by it). */
export function engineClosedError(): Error {
  return new Error('minframe: the engine is closed; create a new one with createEngine()');
}

/** A broken invariant inside minframe (a bug, never a bad input). */
export function internalError(what: string): Error {
  return new Error(`minframe: internal error: ${what}`);
}

/** A worker pool that cannot run a task (the cause of a WorkerFailedError). */
export function poolError(what: string): Error {
  return new Error(`minframe: ${what}`);
}
