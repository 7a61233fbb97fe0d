import { indexOf } from './bytes'
import { readImageHeader } from './image-header'
import type { ImageType } from './image-header'
import type { Sniffed } from '../api'

/** How many leading bytes `sniff` needs to see to find the type and declared size. */
export const SNIFF_BYTES = 256 * 1024

/** How far into a file `%PDF-` may start: some mailers and servers prepend junk. */
export const PDF_MAGIC_WINDOW = 1024

export const IMAGE_MIME: Record<ImageType, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  avif: 'image/avif',
  heic: 'image/heic',
}

/**
 * Whether a PDF header (`%PDF-` and a version digit) starts a line within the first
 * `PDF_MAGIC_WINDOW` bytes. Junk before it (mail headers, HTTP preambles) is allowed; a file
 * that opens as markup (SVG, HTML, XML) is not a PDF even when `%PDF-` appears in its text.
 */
function hasPdfHeader(head: Uint8Array): boolean {
  let first = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0
  while (
    head[first] === 0x20 ||
    head[first] === 0x09 ||
    head[first] === 0x0a ||
    head[first] === 0x0d
  ) {
    first++
  }
  if (head[first] === 0x3c) return false
  for (let at = 0; (at = indexOf(head, '%PDF-', at, PDF_MAGIC_WINDOW)) >= 0; at++) {
    const lineStart = at === 0 || head[at - 1] === 0x0a || head[at - 1] === 0x0d
    const digit = (head[at + 5] ?? 0) >= 0x30 && (head[at + 5] ?? 0) <= 0x39
    if (lineStart && digit) return true
  }
  return false
}

const UNKNOWN: Sniffed = { type: 'unknown', mime: 'application/octet-stream', kind: null }

/**
 * Identifies a file from its magic bytes and reads its declared dimensions, without decoding.
 * Takes any prefix of the file (the page passes the first `SNIFF_BYTES`); never throws.
 *
 * @example
 * sniff(pngBytes) // { type: 'png', mime: 'image/png', kind: 'image', width: 64, height: 32 }
 */
export function sniff(head: Uint8Array): Sniffed {
  try {
    const header = readImageHeader(head)
    if (header) {
      const sniffed: Sniffed = { type: header.type, mime: IMAGE_MIME[header.type], kind: 'image' }
      if (header.width !== undefined && header.height !== undefined) {
        sniffed.width = header.width
        sniffed.height = header.height
      }
      return sniffed
    }
    if (hasPdfHeader(head)) {
      return { type: 'pdf', mime: 'application/pdf', kind: 'pdf' }
    }
  } catch {
    // Garbage must never break intake: anything unreadable is simply unknown.
  }
  return { ...UNKNOWN }
}
