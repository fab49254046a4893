import type {
  BytecodeInput,
  Response,
  SessionInfo,
  SourcesInfo,
  StateTestSelector,
} from '@crucible/debug-session'

/** What the page asks the worker to open. */
export type WebInput =
  | { kind: 'capsule'; bytes: ArrayBuffer; select?: { index?: number; hash?: string } }
  | { kind: 'bytecode'; bytecode: BytecodeInput }
  | { kind: 'stateTest'; json: string; selector: StateTestSelector }

export interface OpenMessage {
  type: 'open'
  input: WebInput
  /** The sources file's text (solc standard-JSON input and output). */
  sources?: string
}

export type WorkerAnswer =
  | { type: 'opened'; info: SessionInfo; sources: SourcesInfo | undefined; ms: number }
  | { type: 'error'; code: string; message: string; details: Record<string, unknown> }
  | { type: 'response'; response: Response }
