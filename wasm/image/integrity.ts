import { boxes, itemDataEnd } from '../shared/bmff'
import { fourcc, u16be, u32be, u32le, u8 } from '../shared/bytes'
import type { ImageType } from '../shared/image-header'

/** What a full walk of the container says: whether it is whole, and how many frames. */
export interface Integrity {
  /** Why the file looks cut short or broken, for people; absent when it looks whole. */
  problem?: string
  /** Frames in an animation (GIF, APNG, animated WebP); absent for stills. */
  frames?: number
}

/**
 * Walks the container structure of a whole file (no pixel decoding) to catch files that end
 * early, which some decoders would otherwise render half grey without complaint.
 */
export function checkIntegrity(bytes: Uint8Array, type: ImageType): Integrity {
  switch (type) {
    case 'jpeg':
      return checkJpeg(bytes)
    case 'png':
      return checkPng(bytes)
    case 'webp':
      return checkWebp(bytes)
    case 'gif':
      return checkGif(bytes)
    case 'avif':
    case 'heic':
      return checkBmff(bytes)
  }
}

const CUT = 'the file ends early; it may not have finished downloading or copying'

function checkJpeg(bytes: Uint8Array): Integrity {
  // Find the first scan by walking the marker segments before it.
  let at = 2
  let scan = -1
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return { problem: 'the JPEG header is damaged' }
    const marker = bytes[at + 1]!
    if (marker === 0xff || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      at += marker === 0xff ? 1 : 2
      continue
    }
    if (marker === 0xd9) break
    const length = u16be(bytes, at + 2)!
    if (marker === 0xda) {
      scan = at
      break
    }
    at += 2 + length
  }
  if (scan < 0) return { problem: `the JPEG has no image data: ${CUT}` }
  // A whole JPEG ends with EOI (FF D9) after its scans; trailing junk after it is tolerated.
  for (let i = bytes.length - 2; i > scan; i--) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return {}
  }
  return { problem: `the JPEG has no end marker: ${CUT}` }
}

function checkPng(bytes: Uint8Array): Integrity {
  let at = 8
  let frames: number | undefined
  while (at + 8 <= bytes.length) {
    const length = u32be(bytes, at)!
    const type = fourcc(bytes, at + 4)
    if (at + 12 + length > bytes.length) return { problem: `a ${type} chunk is cut: ${CUT}` }
    if (type === 'acTL') frames = u32be(bytes, at + 8)
    if (type === 'IEND') return frames === undefined ? {} : { frames }
    at += 12 + length
  }
  return { problem: `the PNG has no IEND chunk: ${CUT}` }
}

function checkWebp(bytes: Uint8Array): Integrity {
  const declared = (u32le(bytes, 4) ?? 0) + 8
  if (declared > bytes.length) {
    return { problem: `the WebP declares ${declared} bytes but has ${bytes.length}: ${CUT}` }
  }
  if (fourcc(bytes, 12) !== 'VP8X' || ((u8(bytes, 20) ?? 0) & 0x02) === 0) return {}
  let frames = 0
  let at = 12
  while (at + 8 <= declared) {
    const length = u32le(bytes, at + 4)!
    if (fourcc(bytes, at) === 'ANMF') frames += 1
    at += 8 + length + (length & 1)
  }
  return { frames }
}

function checkGif(bytes: Uint8Array): Integrity {
  const packed = u8(bytes, 10) ?? 0
  let at = 13 + (packed & 0x80 ? 3 * 2 ** ((packed & 7) + 1) : 0)
  let frames = 0
  const skipSubBlocks = (from: number): number => {
    let p = from
    while (p < bytes.length && bytes[p] !== 0) p += bytes[p]! + 1
    return p < bytes.length ? p + 1 : -1
  }
  while (at < bytes.length) {
    const introducer = bytes[at]!
    if (introducer === 0x3b) return { frames }
    if (introducer === 0x21) {
      at = skipSubBlocks(at + 2)
    } else if (introducer === 0x2c) {
      const local = u8(bytes, at + 9) ?? 0
      at += 10 + (local & 0x80 ? 3 * 2 ** ((local & 7) + 1) : 0)
      at = skipSubBlocks(at + 1) // after the LZW minimum code size
      if (at > 0) frames += 1
    } else {
      return frames > 0 ? { frames } : { problem: 'the GIF has an unknown block before its image' }
    }
    if (at < 0) break
  }
  // Browsers show what arrived; Quire accepts a GIF whose first frame is whole.
  return frames > 0 ? { frames } : { problem: `the GIF's first frame is incomplete: ${CUT}` }
}

function checkBmff(bytes: Uint8Array): Integrity {
  const top = boxes(bytes)
  const cut = top.find((box) => box.cut)
  if (cut) return { problem: `the ${cut.type} box is cut: ${CUT}` }
  if (!top.some((box) => box.type === 'meta')) return { problem: 'the file has no meta box' }
  const end = itemDataEnd(bytes)
  if (end !== undefined && end > bytes.length) {
    return { problem: `the image data ends at byte ${bytes.length} of ${end}: ${CUT}` }
  }
  return {}
}
