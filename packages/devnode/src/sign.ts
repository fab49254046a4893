import {
  bigIntToBytes,
  bytesToHex,
  CrucibleError,
  concatBytes,
  type Hex,
  hexToBytes,
  keccak256,
  utf8ToBytes,
} from '@crucible/primitives'
import { signHash } from '@crucible/tx'

/** A 65-byte `r ‖ s ‖ v` signature (v = 27 + y parity), as `eth_sign` returns it. */
export function signatureHex(hash: Uint8Array, privateKey: Uint8Array): Hex {
  const { yParity, r, s } = signHash(hash, privateKey)
  return bytesToHex(concatBytes(bigIntToBytes(r, 32), bigIntToBytes(s, 32), Uint8Array.of(27 + yParity)))
}

/** EIP-191 version 0x45: keccak("\x19Ethereum Signed Message:\n" ‖ length ‖ message). */
export function personalMessageHash(message: Uint8Array): Uint8Array {
  return keccak256(concatBytes(utf8ToBytes(`\x19Ethereum Signed Message:\n${message.length}`), message))
}

export class TypedDataError extends CrucibleError {
  override name = 'TypedDataError'
  constructor(shortMessage: string, details: Record<string, unknown> = {}) {
    super('INVALID_TYPED_DATA', shortMessage, details)
  }
}

/** EIP-712 `types`: each struct's fields, by struct name. */
export type TypedDataTypes = Record<string, readonly { name: string; type: string }[]>

/** EIP-712 typed data, as `eth_signTypedData_v4` takes it. */
export interface TypedData {
  types: TypedDataTypes
  primaryType: string
  domain: Record<string, unknown>
  message: Record<string, unknown>
}

/** The struct types `type` refers to, itself first, the rest sorted (EIP-712 `encodeType`). */
function dependencies(types: TypedDataTypes, type: string, found = new Set<string>()): Set<string> {
  const base = type.replace(/\[\d*\]$/, '')
  if (found.has(base) || types[base] === undefined) return found
  found.add(base)
  for (const field of types[base]!) dependencies(types, field.type.replace(/(\[\d*\])+$/, ''), found)
  return found
}

function encodeType(types: TypedDataTypes, primary: string): string {
  const [first, ...rest] = [...dependencies(types, primary)]
  return [first!, ...rest.sort()]
    .map((t) => `${t}(${types[t]!.map((f) => `${f.type} ${f.name}`).join(',')})`)
    .join('')
}

const typeHash = (types: TypedDataTypes, primary: string) =>
  keccak256(utf8ToBytes(encodeType(types, primary)))

function toBigInt(value: unknown, type: string): bigint {
  if (typeof value === 'bigint') return value
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value)
  if (typeof value === 'string' && /^(0x[0-9a-fA-F]+|-?\d+)$/.test(value)) return BigInt(value)
  if (typeof value === 'boolean') return value ? 1n : 0n
  throw new TypedDataError(`not a ${type}`, { value: String(value) })
}

function toBytes(value: unknown, type: string): Uint8Array {
  if (typeof value === 'string' && /^0x([0-9a-fA-F]{2})*$/.test(value)) return hexToBytes(value as Hex)
  throw new TypedDataError(`not ${type} hex`, { value: String(value) })
}

/** One field's 32-byte encoding (EIP-712 `encodeData` of a member). */
function encodeValue(types: TypedDataTypes, type: string, value: unknown): Uint8Array {
  const array = /^(.*)\[(\d*)\]$/.exec(type)
  if (array) {
    if (!Array.isArray(value)) throw new TypedDataError(`${type} needs an array`)
    if (array[2] !== '' && value.length !== Number(array[2]))
      throw new TypedDataError(`${type} needs ${array[2]} items`, { length: value.length })
    return keccak256(concatBytes(...value.map((v) => encodeValue(types, array[1]!, v))))
  }
  if (types[type] !== undefined) return hashStruct(types, type, value as Record<string, unknown>)
  if (type === 'string') return keccak256(utf8ToBytes(String(value)))
  if (type === 'bytes') return keccak256(toBytes(value, type))
  if (type === 'bool') return bigIntToBytes(toBigInt(value, type) === 0n ? 0n : 1n, 32)
  if (type === 'address') return bigIntToBytes(toBigInt(value, type), 32)
  const fixed = /^bytes(\d+)$/.exec(type)
  if (fixed) {
    const b = toBytes(value, type)
    const out = new Uint8Array(32)
    out.set(b.subarray(0, 32))
    return out
  }
  const int = /^(u?)int(\d*)$/.exec(type)
  if (int) {
    let v = toBigInt(value, type)
    const bits = BigInt(int[2] || 256)
    if (int[1] === '' && v < 0n) v = (1n << 256n) + v
    else if (int[1] === 'u' && (v < 0n || v >= 1n << bits)) throw new TypedDataError(`${type} out of range`)
    return bigIntToBytes(v, 32)
  }
  throw new TypedDataError(`unknown type ${type}`)
}

/** EIP-712 `hashStruct`: keccak(typeHash ‖ encodeData). */
export function hashStruct(types: TypedDataTypes, type: string, data: Record<string, unknown>): Uint8Array {
  if (typeof data !== 'object' || data === null) throw new TypedDataError(`${type} needs an object`)
  const fields = types[type]!.map((f) => encodeValue(types, f.type, data[f.name]))
  return keccak256(concatBytes(typeHash(types, type), ...fields))
}

/** The hash an EIP-712 signature signs: keccak(0x1901 ‖ domainSeparator ‖ hashStruct(message)). */
export function typedDataHash(data: TypedData): Uint8Array {
  if (typeof data !== 'object' || data === null || typeof data.types !== 'object')
    throw new TypedDataError('typed data needs types, primaryType, domain and message')
  const types = { ...data.types }
  if (types.EIP712Domain === undefined) {
    // Some clients leave the domain type out: it follows from the fields the domain has.
    const order = ['name', 'version', 'chainId', 'verifyingContract', 'salt']
    const kinds: Record<string, string> = {
      name: 'string',
      version: 'string',
      chainId: 'uint256',
      verifyingContract: 'address',
      salt: 'bytes32',
    }
    types.EIP712Domain = order
      .filter((k) => data.domain?.[k] !== undefined)
      .map((k) => ({ name: k, type: kinds[k]! }))
  }
  const domain = hashStruct(types, 'EIP712Domain', data.domain ?? {})
  const parts = [Uint8Array.of(0x19, 0x01), domain]
  if (data.primaryType !== 'EIP712Domain') {
    if (types[data.primaryType] === undefined)
      throw new TypedDataError(`no type ${data.primaryType}`, { primaryType: data.primaryType })
    parts.push(hashStruct(types, data.primaryType, data.message))
  }
  return keccak256(concatBytes(...parts))
}
