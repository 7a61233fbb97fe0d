import { u16be, u16le, u32be, u32le } from './bytes'
import type { Orientation } from './image'

const ORIENTATION_TAG = 0x0112
const SHORT = 3

/**
 * Reads the Orientation tag (0x0112) from a TIFF-structured EXIF block, the bytes after
 * JPEG's `Exif\0\0` or the whole of a WebP `EXIF` / PNG `eXIf` chunk. Answers 1 (upright)
 * when no entry qualifies or the block is malformed.
 *
 * Only an entry in EXIF's own form counts (SHORT, count 1, a value from 1 to 8), and the first
 * such entry wins; others are passed over. Chromium reads it the same way, and it orients
 * JPEG and PNG itself: a reader that disagreed would turn a picture one way when we decode
 * it and another way when Chromium does.
 */
export function readExifOrientation(tiff: Uint8Array): Orientation {
  const order = String.fromCharCode(tiff[0] ?? 0, tiff[1] ?? 0)
  if (order !== 'II' && order !== 'MM') return 1
  const u16 = order === 'II' ? u16le : u16be
  const u32 = order === 'II' ? u32le : u32be
  if (u16(tiff, 2) !== 42) return 1

  const ifd = u32(tiff, 4)
  const count = ifd === undefined ? undefined : u16(tiff, ifd)
  if (ifd === undefined || count === undefined) return 1
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12
    const tag = u16(tiff, entry)
    if (tag === undefined) return 1
    if (tag !== ORIENTATION_TAG) continue
    if (u16(tiff, entry + 2) !== SHORT || u32(tiff, entry + 4) !== 1) continue
    // A single SHORT sits in the first two bytes of the value field.
    const value = u16(tiff, entry + 8)
    if (value !== undefined && value >= 1 && value <= 8) return value as Orientation
  }
  return 1
}
