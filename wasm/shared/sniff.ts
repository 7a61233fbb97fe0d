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
    if (indexOf(head, '%PDF-', 0, PDF_MAGIC_WINDOW) >= 0) {
      return { type: 'pdf', mime: 'application/pdf', kind: 'pdf' }
    }
  } catch {
    // Garbage must never break intake: anything unreadable is simply unknown.
  }
  return { ...UNKNOWN }
}
