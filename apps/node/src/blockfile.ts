import { once } from 'node:events'
import { createReadStream, createWriteStream, type ReadStream, statSync } from 'node:fs'
import type { Writable } from 'node:stream'
import { createGunzip, createGzip } from 'node:zlib'
import { NodeError } from './errors.js'

/** One RLP item of a block file, with where it starts (in the unpacked stream). */
export interface FileBlock {
  rlp: Uint8Array
  offset: number
}

/**
 * The length of the RLP item at the start of `bytes` (prefix and payload), or undefined when
 * `bytes` is too short to tell. Throws on a byte that cannot start a block (a block is a list).
 */
export function rlpItemLength(bytes: Uint8Array, offset: number, file: string): number | undefined {
  const first = bytes[0]
  if (first === undefined) return undefined
  if (first < 0xc0) {
    throw new NodeError('MALFORMED_FILE', 'not an RLP block (a block is an RLP list)', {
      file,
      offset,
      byte: `0x${first.toString(16).padStart(2, '0')}`,
    })
  }
  if (first <= 0xf7) return 1 + (first - 0xc0)
  const lengthOfLength = first - 0xf7
  if (bytes.length < 1 + lengthOfLength) return undefined
  if (bytes[1] === 0)
    throw new NodeError('MALFORMED_FILE', 'non-canonical RLP length (leading zero)', { file, offset })
  let length = 0
  for (let i = 1; i <= lengthOfLength; i++) length = length * 256 + bytes[i]!
  if (length < 56)
    throw new NodeError('MALFORMED_FILE', 'non-canonical RLP length (long form for a short list)', {
      file,
      offset,
    })
  return 1 + lengthOfLength + length
}

function isGzip(path: string): boolean {
  return path.endsWith('.gz')
}

/**
 * The blocks of a geth export file: RLP items one after another, gzip-unpacked when the name
 * ends in `.gz`. `onRead` reports progress in bytes of the file itself (for an ETA). A file that
 * ends inside an item is a {@link NodeError} `TRUNCATED_FILE`; a byte that cannot start a block is
 * `MALFORMED_FILE` (both raised only when reached, after the blocks before them were yielded).
 */
export async function* readBlockFile(
  path: string,
  onRead?: (fileBytes: number) => void,
): AsyncGenerator<FileBlock> {
  let raw: ReadStream
  try {
    statSync(path)
    raw = createReadStream(path, { highWaterMark: 1 << 20 })
  } catch (error) {
    throw new NodeError('FILE_UNREADABLE', 'cannot read the block file', { file: path }, { cause: error })
  }
  if (onRead) raw.on('data', () => onRead(raw.bytesRead))
  const source = isGzip(path) ? raw.pipe(createGunzip()) : raw
  if (source !== raw) raw.on('error', (error) => source.destroy(error))
  let buffer: Uint8Array = new Uint8Array(0)
  let offset = 0
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      const data = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)
      if (buffer.length === 0) buffer = data
      else {
        const joined = new Uint8Array(buffer.length + data.length)
        joined.set(buffer)
        joined.set(data, buffer.length)
        buffer = joined
      }
      let start = 0
      for (;;) {
        const rest = buffer.subarray(start)
        const length = rlpItemLength(rest, offset, path)
        if (length === undefined || length > rest.length) break
        // A copy: the item must not pin (or alias) the read buffer.
        yield { rlp: rest.slice(0, length), offset }
        start += length
        offset += length
      }
      buffer = buffer.subarray(start)
    }
  } catch (error) {
    if (error instanceof NodeError) throw error
    const code = (error as { code?: string }).code
    if (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR')
      throw new NodeError(
        code === 'Z_BUF_ERROR' ? 'TRUNCATED_FILE' : 'MALFORMED_FILE',
        'bad gzip data',
        { file: path, offset },
        { cause: error },
      )
    throw new NodeError('FILE_UNREADABLE', 'cannot read the block file', { file: path }, { cause: error })
  }
  if (buffer.length > 0) {
    throw new NodeError('TRUNCATED_FILE', 'file ends inside a block', {
      file: path,
      offset,
      have: buffer.length,
      need: rlpItemLength(buffer, offset, path) ?? 'unknown',
    })
  }
}

/** A writer of a block file (gzip when the name ends in `.gz`). */
export class BlockFileWriter {
  private readonly out: Writable
  private readonly file: Writable
  private failure: unknown

  constructor(readonly path: string) {
    this.file = createWriteStream(path)
    this.out = isGzip(path) ? createGzip() : this.file
    if (this.out !== this.file) this.out.pipe(this.file)
    const fail = (error: unknown) => {
      this.failure ??= error
    }
    this.file.on('error', fail)
    this.out.on('error', fail)
  }

  async write(rlp: Uint8Array): Promise<void> {
    this.check()
    if (!this.out.write(rlp)) await once(this.out, 'drain')
  }

  async close(): Promise<void> {
    this.out.end()
    if (!this.file.writableFinished) await once(this.file, 'finish').catch(() => undefined)
    this.check()
  }

  private check(): void {
    if (this.failure !== undefined)
      throw new NodeError(
        'FILE_UNREADABLE',
        'cannot write the export file',
        { file: this.path },
        { cause: this.failure },
      )
  }
}
