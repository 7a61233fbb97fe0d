import type { Sniffed } from '../api'

/** How many leading bytes `sniff` needs to see to find the type and declared size. */
export const SNIFF_BYTES = 256 * 1024

/**
 * Identifies a file from its magic bytes and reads its declared dimensions, without decoding.
 * Placeholder: recognises types only.
 */
export function sniff(head: Uint8Array): Sniffed {
  const ascii = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to))
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) {
    return { type: 'jpeg', mime: 'image/jpeg', kind: 'image' }
  }
  if (ascii(0, 8) === '\x89PNG\r\n\x1a\n') return { type: 'png', mime: 'image/png', kind: 'image' }
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') {
    return { type: 'webp', mime: 'image/webp', kind: 'image' }
  }
  if (ascii(0, 1024).includes('%PDF-')) return { type: 'pdf', mime: 'application/pdf', kind: 'pdf' }
  return { type: 'unknown', mime: 'application/octet-stream', kind: null }
}
