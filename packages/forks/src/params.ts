import { FORK_NAMES, type ForkName } from './fork.js'

/** Blob parameters of one fork (EIP-4844, EIP-7691, EIP-7840, EIP-7892). */
export interface BlobParams {
  /** Target blobs per block. */
  readonly target: number
  /** Maximum blobs per block. */
  readonly max: number
  /** Denominator of the blob base fee's exponential update. */
  readonly baseFeeUpdateFraction: bigint
}

/**
 * Every number that changes between forks. Values are those in force at the fork, after all
 * its EIPs; the execution-specs' `vm/gas.py` and `fork.py` of each fork are the reference.
 */
export interface ForkParams {
  // Transaction costs.
  /** Base cost of every transaction. */
  readonly txGas: number
  /** Base cost of a contract-creation transaction (EIP-2: 53000 from Homestead). */
  readonly txCreateGas: number
  /** Cost of a zero byte of calldata. */
  readonly txDataZeroGas: number
  /** Cost of a non-zero byte of calldata (68, then 16 from EIP-2028). */
  readonly txDataNonZeroGas: number
  /** EIP-2930 cost per access-list address. */
  readonly txAccessListAddressGas: number
  /** EIP-2930 cost per access-list storage key. */
  readonly txAccessListStorageKeyGas: number
  /** EIP-3860 cost per 32-byte word of initcode. */
  readonly initCodeWordGas: number
  /** EIP-7623 cost per calldata token of the floor (0 before Prague). */
  readonly txFloorTokenGas: number
  /** EIP-7623 tokens per non-zero calldata byte (a zero byte is one token). */
  readonly txTokensPerNonZeroByte: number
  /** EIP-7702 cost per authorization for an account that does not exist yet. */
  readonly authEmptyAccountGas: number
  /** EIP-7702 base cost per authorization (refund = empty-account cost - this, when the account exists). */
  readonly authBaseGas: number
  /** EIP-7825 per-transaction gas limit cap (undefined: none). */
  readonly txGasLimitCap: bigint | undefined

  // Opcode and state-access costs.
  readonly sloadGas: number
  readonly balanceGas: number
  readonly extcodeSizeGas: number
  readonly extcodeCopyBaseGas: number
  readonly extcodeHashGas: number
  readonly callGas: number
  readonly selfdestructGas: number
  /** Extra SELFDESTRUCT cost when the beneficiary is a new account (EIP-150). */
  readonly selfdestructNewAccountGas: number
  /** Cost per byte of the exponent of EXP (10, then 50 from EIP-160). */
  readonly expByteGas: number
  /** EIP-2929 cost of a cold account access. */
  readonly coldAccountAccessGas: number
  /** EIP-2929 cost of a cold storage read. */
  readonly coldSloadGas: number
  /** EIP-2929 cost of a warm read. */
  readonly warmStorageReadGas: number
  readonly sstoreSetGas: number
  /** SSTORE cost of changing a non-zero slot (5000; 2900 with EIP-2929). */
  readonly sstoreResetGas: number
  /** Refund for clearing a slot (15000; 4800 from EIP-3529). */
  readonly sstoreClearsRefund: number
  /** Refund of SELFDESTRUCT (24000 until London, then 0). */
  readonly selfdestructRefund: number
  /** Divisor of gas used that caps the refund (2, then 5 from EIP-3529). */
  readonly maxRefundQuotient: number
  /** CLZ cost (EIP-7939). */
  readonly clzGas: number

  // Limits.
  /** Maximum deployed code size (EIP-170), or Infinity before Spurious Dragon. */
  readonly maxCodeSize: number
  /** Maximum initcode size (EIP-3860), or Infinity before Shanghai. */
  readonly maxInitCodeSize: number
  /** EIP-7934 maximum RLP size of a block, or Infinity. */
  readonly maxRlpBlockSize: number
  /** EIP-7594 maximum blobs per transaction, or undefined when only the block limit applies. */
  readonly maxBlobsPerTx: number | undefined

  // Block rules.
  /** Block reward in wei (0 from Paris). */
  readonly blockReward: bigint
  /** Difficulty-bomb delay in blocks (EIP-649, 1234, 2384, 3554, 4345, 5133). */
  readonly difficultyBombDelay: bigint
  /** EIP-1559 elasticity multiplier. */
  readonly elasticityMultiplier: bigint
  /** EIP-1559 base fee max change denominator. */
  readonly baseFeeMaxChangeDenominator: bigint
  /** Blob parameters, from Cancun. */
  readonly blob: BlobParams | undefined

  /** Addresses of the precompiles in force, as numbers (0x01 … 0x11, 0x100). */
  readonly precompiles: readonly number[]
}

/** Constants that have not changed since they were introduced. */
export const CONSTANTS = {
  /** EIP-1559 base fee of the fork block. */
  initialBaseFee: 1_000_000_000n,
  gasLimitBoundDivisor: 1024n,
  minGasLimit: 5000n,
  maxExtraDataSize: 32,
  /** EIP-4844 gas per blob. */
  gasPerBlob: 131072n,
  minBlobBaseFee: 1n,
  /** EIP-7918 execution cost a blob must at least cover. */
  blobBaseCost: 8192n,
  blobCommitmentVersionKzg: 0x01,
  /** EIP-4788 / EIP-2935: gas of a system call. */
  systemCallGas: 30_000_000n,
} as const

/** System contract and system-call addresses (lowercase hex). */
export const SYSTEM_ADDRESSES = {
  system: '0xfffffffffffffffffffffffffffffffffffffffe',
  beaconRoots: '0x000f3df6d732807ef1319fb7b8bb8522d0beac02',
  historyStorage: '0x0000f90827f1c53a10cb7a02335b175320002935',
  withdrawalRequests: '0x00000961ef480eb55e80d19ad83579a64c007002',
  consolidationRequests: '0x0000bbddc7ce488642fb579f8b00f3a590007251',
  mainnetDepositContract: '0x00000000219ab540356cbb839cbe05303d7705fa',
} as const

const FRONTIER: ForkParams = {
  txGas: 21000,
  txCreateGas: 21000,
  txDataZeroGas: 4,
  txDataNonZeroGas: 68,
  txAccessListAddressGas: 0,
  txAccessListStorageKeyGas: 0,
  initCodeWordGas: 0,
  txFloorTokenGas: 0,
  txTokensPerNonZeroByte: 4,
  authEmptyAccountGas: 0,
  authBaseGas: 0,
  txGasLimitCap: undefined,
  sloadGas: 50,
  balanceGas: 20,
  extcodeSizeGas: 20,
  extcodeCopyBaseGas: 20,
  extcodeHashGas: 0,
  callGas: 40,
  selfdestructGas: 0,
  selfdestructNewAccountGas: 0,
  expByteGas: 10,
  coldAccountAccessGas: 0,
  coldSloadGas: 0,
  warmStorageReadGas: 0,
  sstoreSetGas: 20000,
  sstoreResetGas: 5000,
  sstoreClearsRefund: 15000,
  selfdestructRefund: 24000,
  maxRefundQuotient: 2,
  clzGas: 0,
  maxCodeSize: Number.POSITIVE_INFINITY,
  maxInitCodeSize: Number.POSITIVE_INFINITY,
  maxRlpBlockSize: Number.POSITIVE_INFINITY,
  maxBlobsPerTx: undefined,
  blockReward: 5_000_000_000_000_000_000n,
  difficultyBombDelay: 0n,
  elasticityMultiplier: 2n,
  baseFeeMaxChangeDenominator: 8n,
  blob: undefined,
  precompiles: [1, 2, 3, 4],
}

const BYZANTIUM_PRECOMPILES = [1, 2, 3, 4, 5, 6, 7, 8]
const ISTANBUL_PRECOMPILES = [...BYZANTIUM_PRECOMPILES, 9]
const CANCUN_PRECOMPILES = [...ISTANBUL_PRECOMPILES, 0x0a]
const PRAGUE_PRECOMPILES = [...CANCUN_PRECOMPILES, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11]
const OSAKA_PRECOMPILES = [...PRAGUE_PRECOMPILES, 0x100]

/** What each fork changes, read top to bottom like the execution-specs' diffs. */
const CHANGES: Record<ForkName, Partial<ForkParams>> = {
  Frontier: {},
  Homestead: { txCreateGas: 53000 }, // EIP-2
  DAO: {},
  // EIP-150: repricing of IO-heavy operations.
  TangerineWhistle: {
    sloadGas: 200,
    balanceGas: 400,
    extcodeSizeGas: 700,
    extcodeCopyBaseGas: 700,
    callGas: 700,
    selfdestructGas: 5000,
    selfdestructNewAccountGas: 25000,
  },
  // EIP-160 EXP repricing, EIP-170 code size limit.
  SpuriousDragon: { expByteGas: 50, maxCodeSize: 24576 },
  // EIP-649: reward 3 ETH, bomb delayed 3M blocks; EIP-196/197/198 precompiles.
  Byzantium: {
    blockReward: 3_000_000_000_000_000_000n,
    difficultyBombDelay: 3_000_000n,
    precompiles: BYZANTIUM_PRECOMPILES,
  },
  // EIP-1234: reward 2 ETH, bomb 5M; EIP-1052 EXTCODEHASH.
  Constantinople: {
    blockReward: 2_000_000_000_000_000_000n,
    difficultyBombDelay: 5_000_000n,
    extcodeHashGas: 400,
  },
  Petersburg: {},
  // EIP-1884, EIP-2028, EIP-2200, EIP-152.
  Istanbul: {
    sloadGas: 800,
    balanceGas: 700,
    extcodeHashGas: 700,
    txDataNonZeroGas: 16,
    precompiles: ISTANBUL_PRECOMPILES,
  },
  MuirGlacier: { difficultyBombDelay: 9_000_000n }, // EIP-2384
  // EIP-2929 cold/warm access, EIP-2930 access lists.
  Berlin: {
    coldAccountAccessGas: 2600,
    coldSloadGas: 2100,
    warmStorageReadGas: 100,
    sloadGas: 100,
    balanceGas: 100,
    extcodeSizeGas: 100,
    extcodeCopyBaseGas: 100,
    extcodeHashGas: 100,
    callGas: 100,
    sstoreResetGas: 2900,
    txAccessListAddressGas: 2400,
    txAccessListStorageKeyGas: 1900,
  },
  // EIP-3529 refunds, EIP-3554 bomb.
  London: {
    sstoreClearsRefund: 4800,
    selfdestructRefund: 0,
    maxRefundQuotient: 5,
    difficultyBombDelay: 9_700_000n,
  },
  ArrowGlacier: { difficultyBombDelay: 10_700_000n }, // EIP-4345
  GrayGlacier: { difficultyBombDelay: 11_400_000n }, // EIP-5133
  Paris: { blockReward: 0n }, // EIP-3675
  Shanghai: { initCodeWordGas: 2, maxInitCodeSize: 49152 }, // EIP-3860
  Cancun: {
    blob: { target: 3, max: 6, baseFeeUpdateFraction: 3338477n }, // EIP-4844
    precompiles: CANCUN_PRECOMPILES,
  },
  Prague: {
    blob: { target: 6, max: 9, baseFeeUpdateFraction: 5007716n }, // EIP-7691
    txFloorTokenGas: 10, // EIP-7623
    authEmptyAccountGas: 25000, // EIP-7702
    authBaseGas: 12500,
    precompiles: PRAGUE_PRECOMPILES, // EIP-2537
  },
  Osaka: {
    txGasLimitCap: 1n << 24n, // EIP-7825
    maxRlpBlockSize: 10_485_760 - 2_097_152, // EIP-7934: 10 MiB less a 2 MiB margin
    maxBlobsPerTx: 6, // EIP-7594
    clzGas: 5, // EIP-7939
    precompiles: OSAKA_PRECOMPILES, // EIP-7951
  },
  // EIP-7892 blob-parameter-only forks; BPO3-5 carry the values test networks use.
  BPO1: { blob: { target: 10, max: 15, baseFeeUpdateFraction: 8346193n } },
  BPO2: { blob: { target: 14, max: 21, baseFeeUpdateFraction: 11684671n } },
  BPO3: { blob: { target: 21, max: 32, baseFeeUpdateFraction: 20609697n } },
  BPO4: { blob: { target: 14, max: 21, baseFeeUpdateFraction: 13739630n } },
  BPO5: { blob: { target: 14, max: 21, baseFeeUpdateFraction: 13739630n } },
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v)
    Object.freeze(value)
  }
  return value
}

/** The parameters of every fork, in fork order, each frozen. */
export const FORK_PARAMS: readonly ForkParams[] = /* @__PURE__ */ (() => {
  const out: ForkParams[] = []
  let current = FRONTIER
  for (const name of FORK_NAMES) {
    current = { ...current, ...CHANGES[name] }
    out.push(deepFreeze({ ...current, precompiles: [...current.precompiles] }))
  }
  return Object.freeze(out)
})()
