import { eachBox, itemDataEnd, readHeifHeader } from '../shared/bmff'
import { fourcc, u16be, u32be, u32le, u8 } from '../shared/bytes'
import { nextJpegMarker } from '../shared/image-header'
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

/** Huffman-coded start-of-frame markers (arithmetic coding, C9–CF, packs tighter). */
const HUFFMAN_FRAMES = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7])

/** Sequential Huffman frames: every block of every scan carries a DC code and an EOB. */
const SEQUENTIAL_FRAMES = new Set([0xc0, 0xc1])

function checkJpeg(bytes: Uint8Array): Integrity {
  // Find the frame header and the first scan by walking the marker segments before it.
  let at = 2
  let scan = -1
  let frame: { marker: number; width: number; height: number } | undefined
  for (;;) {
    at = nextJpegMarker(bytes, at)
    if (at < 0 || at + 4 > bytes.length) break
    const marker = bytes[at + 1]!
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      at += 2
      continue
    }
    if (marker === 0xd9) break
    const length = u16be(bytes, at + 2)!
    if (marker === 0xda) {
      scan = at + 2 + length
      break
    }
    if (!frame && marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      frame = { marker, height: u16be(bytes, at + 5) ?? 0, width: u16be(bytes, at + 7) ?? 0 }
    }
    at += 2 + length
  }
  if (scan < 0) return { problem: `the JPEG has no image data: ${CUT}` }
  // A whole JPEG ends with EOI (FF D9) after its scans; trailing junk after it is tolerated.
  let end = -1
  for (let i = bytes.length - 2; i >= scan; i--) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) {
      end = i
      break
    }
  }
  if (end < 0) return { problem: `the JPEG has no end marker: ${CUT}` }
  if (frame && entropyFloor(frame) > end - scan) {
    return {
      problem: `the file is too small to hold the ${frame.width}×${frame.height} image it declares`,
    }
  }
  return {}
}

/**
 * The fewest bytes of Huffman-coded data that can hold a frame: each 8×8 block of the
 * full-resolution component costs at least one bit in a progressive DC scan (or per sample in
 * lossless and hierarchical frames), and at least two bits, a DC code and an end-of-block, in
 * a sequential one. The measured span (first scan to EOI) also holds later scans' headers,
 * tables and restart markers, so the comparison only errs towards accepting. Arithmetic
 * coding has no such floor, so those frames answer 0.
 */
function entropyFloor(frame: { marker: number; width: number; height: number }): number {
  if (!HUFFMAN_FRAMES.has(frame.marker)) return 0
  const blocks = Math.ceil(frame.width / 8) * Math.ceil(frame.height / 8)
  const bitsPerBlock = SEQUENTIAL_FRAMES.has(frame.marker) ? 2 : 1
  return Math.floor((blocks * bitsPerBlock) / 8)
}

/** Channels per pixel by PNG colour type: gray, RGB, palette, gray + alpha, RGBA. */
const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }

/** Deflate's largest expansion: a 258-byte match per two one-bit codes, about 1032:1. */
const DEFLATE_MAX_RATIO = 1032

function checkPng(bytes: Uint8Array): Integrity {
  let at = 8
  let frames: number | undefined
  let ihdr = -1
  let compressed = 0
  while (at + 8 <= bytes.length) {
    const length = u32be(bytes, at)!
    const type = fourcc(bytes, at + 4)
    if (at + 12 + length > bytes.length) return { problem: `a ${type} chunk is cut: ${CUT}` }
    if (type === 'IHDR') ihdr = at + 8
    if (type === 'IDAT') compressed += length
    if (type === 'acTL') frames = u32be(bytes, at + 8)
    if (type === 'IEND') {
      // The image's rows, filter bytes included, must inflate from its IDAT chunks.
      if (ihdr > 0 && compressed * DEFLATE_MAX_RATIO < pngRawSize(bytes, ihdr)) {
        const [width, height] = [u32be(bytes, ihdr), u32be(bytes, ihdr + 4)]
        return { problem: `the file is too small to hold the ${width}×${height} image it declares` }
      }
      return frames === undefined ? {} : { frames }
    }
    at += 12 + length
  }
  return { problem: `the PNG has no IEND chunk: ${CUT}` }
}

/**
 * Bytes of filtered rows a non-interlaced image of IHDR's size holds: one filter byte per row
 * plus its packed samples. An interlaced image holds a little more, so this is a floor.
 */
function pngRawSize(bytes: Uint8Array, ihdr: number): number {
  const width = u32be(bytes, ihdr) ?? 0
  const height = u32be(bytes, ihdr + 4) ?? 0
  const depth = u8(bytes, ihdr + 8) ?? 0
  const channels = PNG_CHANNELS[u8(bytes, ihdr + 9) ?? -1] ?? 0
  return height * (1 + Math.ceil((width * depth * channels) / 8))
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
  let meta = false
  for (const box of eachBox(bytes)) {
    if (box.cut) return { problem: `the ${box.type} box is cut: ${CUT}` }
    if (box.type === 'meta') meta = true
  }
  if (!meta) return { problem: 'the file has no meta box' }
  const items = itemDataEnd(bytes)
  if (items?.problem !== undefined) return { problem: items.problem }
  if (items !== undefined && items.end > bytes.length) {
    return { problem: `the image data ends at byte ${bytes.length} of ${items.end}: ${CUT}` }
  }
  // The AV1 sequence header gives the coded size, which the decoders go by; `ispe` must agree
  // with it, or the pixel limit was checked against the wrong size.
  const { width, height, coded } = readHeifHeader(bytes)
  if (coded && (coded.width !== width || coded.height !== height)) {
    return {
      problem:
        `the file declares a ${width}×${height} image ` +
        `but its AV1 data is ${coded.width}×${coded.height}`,
    }
  }
  return {}
}
