import { bigIntToBytes, bytesToBigInt, CrucibleError, utf8ToBytes } from '@crucible/primitives'
import { privateKeyToAddress, SECP256K1_N } from '@crucible/tx'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { hmac } from '@noble/hashes/hmac.js'
import { pbkdf2 } from '@noble/hashes/pbkdf2.js'
import { sha512 } from '@noble/hashes/sha2.js'

/** The mnemonic anvil, Hardhat and ganache start with. */
export const DEFAULT_MNEMONIC = 'test test test test test test test test test test test junk'

/** The derivation path of the i-th account (BIP-44, Ethereum's coin type 60). */
export const derivationPath = (index: number): string => `m/44'/60'/0'/0/${index}`

/** An unlocked account of the dev node. */
export interface DevAccount {
  address: bigint
  privateKey: Uint8Array
}

export class AccountsError extends CrucibleError {
  override name = 'AccountsError'
}

/**
 * BIP-39: the seed of a mnemonic (PBKDF2-HMAC-SHA512, 2048 rounds, salt "mnemonic" +
 * passphrase, both NFKD-normalised). The words are not checked against the BIP-39 word list:
 * any phrase gives a seed, as the derivation itself does not need the list.
 */
export function mnemonicToSeed(mnemonic: string, passphrase = ''): Uint8Array {
  const words = mnemonic.normalize('NFKD').trim().split(/\s+/)
  if (![12, 15, 18, 21, 24].includes(words.length))
    throw new AccountsError('INVALID_MNEMONIC', 'a mnemonic has 12, 15, 18, 21 or 24 words', {
      words: words.length,
    })
  return pbkdf2(
    sha512,
    utf8ToBytes(words.join(' ')),
    utf8ToBytes(`mnemonic${passphrase.normalize('NFKD')}`),
    {
      c: 2048,
      dkLen: 64,
    },
  )
}

const HARDENED = 0x8000_0000

/** BIP-32: the private key at `path` (`m/44'/60'/0'/0/0`) below a seed. */
export function derivePrivateKey(seed: Uint8Array, path: string): Uint8Array {
  const parts = path.split('/')
  if (parts[0] !== 'm') throw new AccountsError('INVALID_PATH', 'a derivation path starts with m', { path })
  let node = hmac(sha512, utf8ToBytes('Bitcoin seed'), seed)
  let key = bytesToBigInt(node.subarray(0, 32))
  let chainCode = node.subarray(32)
  for (const part of parts.slice(1)) {
    const hardened = part.endsWith("'") || part.endsWith('h')
    const n = Number(hardened ? part.slice(0, -1) : part)
    if (!Number.isInteger(n) || n < 0 || n >= HARDENED)
      throw new AccountsError('INVALID_PATH', 'a path index is an integer below 2^31', { path, part })
    const index = hardened ? n + HARDENED : n
    const data = new Uint8Array(37)
    if (hardened) data.set(bigIntToBytes(key, 32), 1)
    else data.set(secp256k1.getPublicKey(bigIntToBytes(key, 32), true), 0)
    new DataView(data.buffer).setUint32(33, index)
    node = hmac(sha512, chainCode, data)
    const tweak = bytesToBigInt(node.subarray(0, 32))
    key = (tweak + key) % SECP256K1_N
    // Probability below 2^-127; BIP-32 says to skip to the next index, a dev node just refuses.
    if (tweak >= SECP256K1_N || key === 0n)
      throw new AccountsError('INVALID_PATH', 'the path derives an invalid key', { path })
    chainCode = node.subarray(32)
  }
  return bigIntToBytes(key, 32)
}

/** The first `count` accounts of a mnemonic, at m/44'/60'/0'/0/i. */
export function devAccounts(mnemonic: string, count: number): DevAccount[] {
  const seed = mnemonicToSeed(mnemonic)
  const out: DevAccount[] = []
  for (let i = 0; i < count; i++) {
    const privateKey = derivePrivateKey(seed, derivationPath(i))
    out.push({ address: privateKeyToAddress(privateKey), privateKey })
  }
  return out
}
