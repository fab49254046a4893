import { bigIntToBytes, bytesToHex, toChecksumAddress } from '@crucible/primitives'
import { mnemonicToAccount } from 'viem/accounts'
import { describe, expect, it } from 'vitest'
import { DEFAULT_MNEMONIC, derivePrivateKey, devAccounts, mnemonicToSeed } from '../src/index.js'

describe('dev accounts (BIP-39 / BIP-32)', () => {
  it('derives the anvil / Hardhat accounts from the default mnemonic', () => {
    const accounts = devAccounts(DEFAULT_MNEMONIC, 10)
    expect(toChecksumAddress(bigIntToBytes(accounts[0]!.address, 20))).toBe(
      '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
    )
    expect(bytesToHex(accounts[0]!.privateKey)).toBe(
      '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
    )
    expect(toChecksumAddress(bigIntToBytes(accounts[1]!.address, 20))).toBe(
      '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    )
    expect(toChecksumAddress(bigIntToBytes(accounts[9]!.address, 20))).toBe(
      '0xa0Ee7A142d267C1f36714E4a8F75612F20a79720',
    )
  })

  it('agrees with viem (scure) for another mnemonic', () => {
    const mnemonic = 'legal winner thank year wave sausage worth useful legal winner thank yellow'
    const ours = devAccounts(mnemonic, 3)
    for (let i = 0; i < 3; i++) {
      const theirs = mnemonicToAccount(mnemonic, { addressIndex: i })
      expect(toChecksumAddress(bigIntToBytes(ours[i]!.address, 20))).toBe(theirs.address)
    }
  })

  it('matches the BIP-39 test vector seed and refuses bad input', () => {
    // BIP-39 vector (passphrase "TREZOR"), first 12-word entry.
    const seed = mnemonicToSeed(
      'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
      'TREZOR',
    )
    expect(bytesToHex(seed)).toBe(
      '0xc55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04',
    )
    expect(() => mnemonicToSeed('too short')).toThrow(/12, 15, 18, 21 or 24 words/)
    expect(() => derivePrivateKey(seed, "x/44'")).toThrow(/starts with m/)
  })
})
