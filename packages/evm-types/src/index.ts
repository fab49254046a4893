export type {
  AccessListEntry,
  Authorization,
  BlockEnv,
  Host,
  Log,
  TransactionInput,
} from './host.js'
