/**
 * The base of every error Crucible throws on purpose.
 *
 * `shortMessage` says what went wrong in a few words; `details` carries the facts (which
 * field, which value, which limit) so callers can act on them without parsing text.
 * `code` is a stable, machine-readable name for the kind of failure.
 */
export class CrucibleError<Details extends Record<string, unknown> = Record<string, unknown>> extends Error {
  override name = 'CrucibleError'
  readonly code: string
  readonly shortMessage: string
  readonly details: Details

  constructor(
    code: string,
    shortMessage: string,
    details: Details = {} as Details,
    options?: { cause?: unknown },
  ) {
    super(
      formatMessage(shortMessage, details),
      options?.cause === undefined ? undefined : { cause: options.cause },
    )
    this.code = code
    this.shortMessage = shortMessage
    this.details = details
  }
}

function formatMessage(shortMessage: string, details: Record<string, unknown>): string {
  const keys = Object.keys(details)
  if (keys.length === 0) return shortMessage
  const parts = keys.map((k) => `${k}: ${describe(details[k])}`)
  return `${shortMessage}\n  ${parts.join('\n  ')}`
}

function describe(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`
  if (value instanceof Uint8Array) {
    const hex = Array.from(value.length > 64 ? value.subarray(0, 64) : value, (b) =>
      b.toString(16).padStart(2, '0'),
    ).join('')
    return `0x${hex}${value.length > 64 ? `… (${value.length} bytes)` : ''}`
  }
  if (typeof value === 'string') return value
  try {
    return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value)
  } catch {
    return String(value)
  }
}

/** A short description of a value's type, for the errors of functions given the wrong type. */
export function describeType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return value.constructor?.name ?? 'an object'
  return typeof value
}

/**
 * A value of the wrong type where bytes or text were expected (null, a number, a plain
 * array...): what a public function throws instead of a TypeError or a silent conversion.
 */
export class InputTypeError extends CrucibleError<{ what: string; expected: string; got: string }> {
  override name = 'InputTypeError'
  constructor(what: string, expected: string, value: unknown) {
    const got = describeType(value)
    super('INVALID_INPUT_TYPE', `Invalid input: ${what} must be ${expected}, got ${got}`, {
      what,
      expected,
      got,
    })
  }
}

/** Throws {@link InputTypeError} unless `value` is a `Uint8Array`; `what` names the argument. */
export function assertBytes(value: unknown, what: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new InputTypeError(what, 'a Uint8Array', value)
}

/** Malformed hexadecimal text: odd length, a bad character, a missing prefix where one is required. */
export class HexError extends CrucibleError<{ input: string; reason: string }> {
  override name = 'HexError'
  constructor(reason: string, input: string) {
    super('INVALID_HEX', `Invalid hex: ${reason}`, {
      input: input.length > 80 ? `${input.slice(0, 80)}…` : input,
      reason,
    })
  }
}

/** A value that does not fit the type asked for (too long, negative, out of range). */
export class ValueRangeError extends CrucibleError<{ value: string; reason: string }> {
  override name = 'ValueRangeError'
  constructor(reason: string, value: unknown) {
    super('OUT_OF_RANGE', `Value out of range: ${reason}`, { value: String(value), reason })
  }
}

/** Bytes that are not valid or not canonical RLP, or do not have the shape expected. */
export class RlpError extends CrucibleError<{ reason: string; input?: Uint8Array }> {
  override name = 'RlpError'
  constructor(reason: string, input?: Uint8Array, options?: { cause?: unknown }) {
    super(
      'INVALID_RLP',
      `Invalid RLP: ${reason}`,
      input === undefined ? { reason } : { reason, input },
      options,
    )
  }
}

/** An address that is not 20 bytes, or whose mixed-case checksum (EIP-55) is wrong. */
export class AddressError extends CrucibleError<{ input: string; reason: string }> {
  override name = 'AddressError'
  constructor(reason: string, input: string) {
    super('INVALID_ADDRESS', `Invalid address: ${reason}`, { input, reason })
  }
}
