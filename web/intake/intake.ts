import { refusal } from '../../wasm/shared/limits'
import { SNIFF_BYTES, sniff } from '../../wasm/shared/sniff'
import { HASH_CHUNK_BYTES } from '../config'
import { Sha256 } from './sha256'
import type { Sniffed } from '../../wasm/api'
import type { Limits } from '../../wasm/shared/limits'
import type { JobError } from '../jobs/job'

export interface Inspected {
  sniffed: Sniffed
  /** Set when the file must not reach a worker. */
  error?: JobError
}

/**
 * Looks at a file the way the page is allowed to: its size and its first `SNIFF_BYTES` only.
 * A file with an error never goes to a worker.
 */
export async function inspect(file: Blob, limits: Limits): Promise<Inspected> {
  const sniffed =
    file.size === 0
      ? unknownType()
      : sniff(new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer()))
  const error = refusal(file.size, sniffed, limits)
  return error ? { sniffed, error } : { sniffed }
}

/**
 * SHA-256 of a file as lowercase hex. Files up to `wholeLimit` go through WebCrypto in one read;
 * larger ones are read in chunks so memory stays bounded whatever the size.
 */
export async function sha256Hex(file: Blob, wholeLimit: number): Promise<string> {
  if (file.size <= wholeLimit) {
    const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer())
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
  }
  const hash = new Sha256()
  for (let offset = 0; offset < file.size; offset += HASH_CHUNK_BYTES) {
    const chunk = file.slice(offset, offset + HASH_CHUNK_BYTES)
    hash.update(new Uint8Array(await chunk.arrayBuffer()))
  }
  return hash.hex()
}

function unknownType(): Sniffed {
  return { type: 'unknown', mime: 'application/octet-stream', kind: null }
}
