import { SNIFF_BYTES, sniff } from '../../wasm/shared/sniff'
import { HASH_CHUNK_BYTES } from '../config'
import { Sha256 } from './sha256'
import type { Sniffed } from '../../wasm/api'
import type { JobError } from '../jobs/job'

export interface IntakeLimits {
  maxBytes: number
  maxPixels: number
}

export interface Inspected {
  sniffed: Sniffed
  /** Set when the file must not reach a worker. */
  error?: JobError
}

/**
 * Looks at a file the way the page is allowed to: its size and its first `SNIFF_BYTES` only.
 * Checks run cheapest first, and a file with an error never goes to a worker.
 */
export async function inspect(file: Blob, limits: IntakeLimits): Promise<Inspected> {
  if (file.size === 0) {
    return { sniffed: unknownType(), error: { code: 'empty_file', message: 'the file is empty' } }
  }
  const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer())
  const sniffed = sniff(head)
  if (sniffed.kind === null) {
    const message = 'this file is not an image or PDF Quire can read'
    return { sniffed, error: { code: 'unsupported_type', message } }
  }
  if (file.size > limits.maxBytes) {
    const message = `the file is ${mib(file.size)} MiB, over the ${mib(limits.maxBytes)} MiB limit`
    return { sniffed, error: { code: 'too_large', message } }
  }
  const { width, height } = sniffed
  if (width !== undefined && height !== undefined && width * height > limits.maxPixels) {
    const megapixels = Math.round(limits.maxPixels / 1e6)
    const message = `the image is ${width}×${height}, over the ${megapixels} MP limit`
    return { sniffed, error: { code: 'too_many_pixels', message } }
  }
  return { sniffed }
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

function mib(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')
}
