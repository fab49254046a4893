#!/usr/bin/env node
// Maps hive's HIVE_* fork variables onto a geth-format genesis.json, as hive's go-ethereum
// client definition does with jq (clients/go-ethereum/mapper.jq): the config is rebuilt from
// the variables that are set; the alloc and header fields are kept.
// Usage: node mapper.mjs IN.json OUT.json   (reads process.env)
import { readFileSync, writeFileSync } from 'node:fs'

/** genesis config key ← HIVE_ variable (block numbers, then timestamps). */
const FORKS = {
  homesteadBlock: 'HIVE_FORK_HOMESTEAD',
  daoForkBlock: 'HIVE_FORK_DAO_BLOCK',
  eip150Block: 'HIVE_FORK_TANGERINE',
  eip155Block: 'HIVE_FORK_SPURIOUS',
  eip158Block: 'HIVE_FORK_SPURIOUS',
  byzantiumBlock: 'HIVE_FORK_BYZANTIUM',
  constantinopleBlock: 'HIVE_FORK_CONSTANTINOPLE',
  petersburgBlock: 'HIVE_FORK_PETERSBURG',
  istanbulBlock: 'HIVE_FORK_ISTANBUL',
  muirGlacierBlock: 'HIVE_FORK_MUIR_GLACIER',
  berlinBlock: 'HIVE_FORK_BERLIN',
  londonBlock: 'HIVE_FORK_LONDON',
  arrowGlacierBlock: 'HIVE_FORK_ARROW_GLACIER',
  grayGlacierBlock: 'HIVE_FORK_GRAY_GLACIER',
  mergeNetsplitBlock: 'HIVE_MERGE_BLOCK_ID',
  terminalTotalDifficulty: 'HIVE_TERMINAL_TOTAL_DIFFICULTY',
  shanghaiTime: 'HIVE_SHANGHAI_TIMESTAMP',
  cancunTime: 'HIVE_CANCUN_TIMESTAMP',
  pragueTime: 'HIVE_PRAGUE_TIMESTAMP',
  osakaTime: 'HIVE_OSAKA_TIMESTAMP',
  bpo1Time: 'HIVE_BPO1_TIMESTAMP',
  bpo2Time: 'HIVE_BPO2_TIMESTAMP',
  bpo3Time: 'HIVE_BPO3_TIMESTAMP',
  bpo4Time: 'HIVE_BPO4_TIMESTAMP',
  bpo5Time: 'HIVE_BPO5_TIMESTAMP',
}

/** blobSchedule entry ← HIVE_<FORK>_BLOB_* (geth's defaults where hive gives none). */
const BLOBS = {
  cancun: { target: 3, max: 6, baseFeeUpdateFraction: 3338477 },
  prague: { target: 6, max: 9, baseFeeUpdateFraction: 5007716 },
  osaka: { target: 6, max: 9, baseFeeUpdateFraction: 5007716 },
  bpo1: undefined,
  bpo2: undefined,
  bpo3: undefined,
  bpo4: undefined,
  bpo5: undefined,
}

/** A decimal variable as a number (exact up to 2^53; larger as a JSON integer string). */
function int(text) {
  const n = Number(text)
  return Number.isSafeInteger(n) ? n : BigInt(text)
}

export function mapGenesis(genesis, env) {
  const config = {}
  if (env.HIVE_CHAIN_ID !== undefined) config.chainId = int(env.HIVE_CHAIN_ID)
  else if (genesis.config?.chainId !== undefined) config.chainId = genesis.config.chainId
  for (const [key, name] of Object.entries(FORKS)) if (env[name]) config[key] = int(env[name])
  if (env.HIVE_FORK_DAO_VOTE !== undefined) config.daoForkSupport = env.HIVE_FORK_DAO_VOTE === '1'
  // geth's "not merged" terminal total difficulty when hive names none.
  config.terminalTotalDifficulty ??= 9223372036854775807n
  if (env.HIVE_DEPOSIT_CONTRACT_ADDRESS) config.depositContractAddress = env.HIVE_DEPOSIT_CONTRACT_ADDRESS
  const schedule = {}
  for (const [fork, defaults] of Object.entries(BLOBS)) {
    const up = fork.toUpperCase()
    const target = env[`HIVE_${up}_BLOB_TARGET`]
    const max = env[`HIVE_${up}_BLOB_MAX`]
    const fraction = env[`HIVE_${up}_BLOB_BASE_FEE_UPDATE_FRACTION`]
    if (target === undefined && max === undefined && fraction === undefined && defaults === undefined)
      continue
    schedule[fork] = {
      target: target !== undefined ? int(target) : defaults?.target,
      max: max !== undefined ? int(max) : defaults?.max,
      baseFeeUpdateFraction: fraction !== undefined ? int(fraction) : defaults?.baseFeeUpdateFraction,
    }
  }
  config.blobSchedule = schedule
  return { ...genesis, config }
}

/** JSON with bigints written as plain integers. */
export function stringify(value) {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `@@${v}@@` : v), 2).replace(
    /"@@(\d+)@@"/g,
    '$1',
  )
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [input, output] = process.argv.slice(2)
  if (!input || !output) {
    console.error('usage: node mapper.mjs IN.json OUT.json')
    process.exit(2)
  }
  writeFileSync(output, `${stringify(mapGenesis(JSON.parse(readFileSync(input, 'utf8')), process.env))}\n`)
}
