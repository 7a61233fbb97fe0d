import { ftypFamily, readHeifHeader } from './bmff'
import { fourcc, startsWith, u16be, u16le, u24le, u32be, u32le, u8 } from './bytes'
import { readExifOrientation } from './exif'
import type { Orientation } from './image'

export type ImageType = 'jpeg' | 'png' | 'webp' | 'gif' | 'avif' | 'heic'

/** What an image's header declares, read without decoding. */
export interface ImageHeader {
  type: ImageType
  /** Declared size as stored, before orientation; absent when the header is cut or broken. */
  width?: number
  height?: number
  /** EXIF orientation (JPEG APP1, WebP `EXIF`, PNG `eXIf`) or HEIF `irot`/`imir`; 1 if none. */
  orientation: Orientation
  /** Declared as animated (PNG `acTL`, WebP VP8X flag); GIF frames are counted later. */
  animated: boolean
  /** Whether the header declares alpha, for the types whose header tells (not PNG, GIF). */
  alpha?: boolean
  /** A four-channel (CMYK or YCCK) JPEG. */
  cmyk?: boolean
  /** Whether an ICC profile is embedded (JPEG APP2, WebP `ICCP`, PNG `iCCP`). */
  icc?: boolean
  /** HEIF/AVIF: the primary image has a clean aperture (`clap`) that crops what is shown. */
  cropped?: boolean
}

/** Reads the header of any image type Quire knows, or answers undefined. Never throws. */
export function readImageHeader(bytes: Uint8Array): ImageHeader | undefined {
  if (u8(bytes, 0) === 0xff && u8(bytes, 1) === 0xd8 && u8(bytes, 2) === 0xff) {
    return readJpeg(bytes)
  }
  if (startsWith(bytes, '\x89PNG\r\n\x1a\n')) return readPng(bytes)
  if (startsWith(bytes, 'RIFF') && startsWith(bytes, 'WEBP', 8)) return readWebp(bytes)
  if (startsWith(bytes, 'GIF87a') || startsWith(bytes, 'GIF89a')) {
    return sized({ type: 'gif', orientation: 1, animated: false }, u16le(bytes, 6), u16le(bytes, 8))
  }
  const family = ftypFamily(bytes)
  if (family) {
    const { width, height, orientation, alpha, cropped } = readHeifHeader(bytes)
    const header: ImageHeader = { type: family, orientation, animated: false, alpha }
    if (cropped) header.cropped = true
    return sized(header, width, height)
  }
  return undefined
}

function sized(header: ImageHeader, width?: number, height?: number): ImageHeader {
  if (width && height) return { ...header, width, height }
  return header
}

/** Start-of-frame markers: C0–CF except DHT (C4), JPG (C8) and DAC (CC). */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc
}

/**
 * Where the next JPEG marker starts, at `from` or later, found as libjpeg finds it: bytes
 * before an FF are skipped (libjpeg warns of "extraneous bytes" and reads on), and so are fill
 * FFs and stuffed FF 00 pairs. Answers the index of the marker's FF, or -1 when none is left.
 * Walking the segments any other way could make us read a different frame header, or none,
 * from the one every decoder reads.
 */
export function nextJpegMarker(bytes: Uint8Array, from: number): number {
  let at = from
  while (at + 1 < bytes.length) {
    const next = bytes[at + 1]!
    if (bytes[at] !== 0xff || next === 0xff) at += 1
    else if (next === 0x00) at += 2
    else return at
  }
  return -1
}

/**
 * Reads every segment before the first scan, as libjpeg keeps them for Chromium: an EXIF or
 * ICC block may come after the frame header and still counts. The first frame header gives
 * the size (libjpeg refuses a second one).
 */
function readJpeg(bytes: Uint8Array): ImageHeader {
  const header: ImageHeader = { type: 'jpeg', orientation: 1, animated: false, alpha: false }
  let exif = false
  let frame: { width?: number; height?: number } | undefined
  let at = 2
  for (;;) {
    at = nextJpegMarker(bytes, at)
    if (at < 0 || at + 4 > bytes.length) break
    const marker = bytes[at + 1]!
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      at += 2 // markers without a length
      continue
    }
    if (marker === 0xd9 || marker === 0xda) break
    const length = u16be(bytes, at + 2)!
    if (length < 2) break
    const segment = at + 4
    // The first EXIF block counts, as in Chromium's decoder.
    if (marker === 0xe1 && !exif && startsWith(bytes, 'Exif\0\0', segment)) {
      exif = true
      header.orientation = readExifOrientation(bytes.subarray(segment + 6, at + 2 + length))
    }
    if (marker === 0xe2 && startsWith(bytes, 'ICC_PROFILE\0', segment)) header.icc = true
    if (isStartOfFrame(marker) && !frame) {
      if (u8(bytes, segment + 5) === 4) header.cmyk = true
      frame = { width: u16be(bytes, segment + 3), height: u16be(bytes, segment + 1) }
    }
    at += 2 + length
  }
  return frame ? sized(header, frame.width, frame.height) : header
}

function readPng(bytes: Uint8Array): ImageHeader {
  const header: ImageHeader = { type: 'png', orientation: 1, animated: false }
  let width: number | undefined
  let height: number | undefined
  let at = 8
  while (at + 8 <= bytes.length) {
    const length = u32be(bytes, at)!
    const type = fourcc(bytes, at + 4)
    const data = at + 8
    if (type === 'IHDR') [width, height] = [u32be(bytes, data), u32be(bytes, data + 4)]
    if (type === 'acTL') header.animated = true
    if (type === 'iCCP') header.icc = true
    if (type === 'eXIf') {
      header.orientation = readExifOrientation(bytes.subarray(data, data + length))
    }
    if (type === 'IDAT' || type === 'IEND') break
    at = data + length + 4
  }
  return sized(header, width, height)
}

function readWebp(bytes: Uint8Array): ImageHeader {
  const header: ImageHeader = { type: 'webp', orientation: 1, animated: false }
  const first = fourcc(bytes, 12)
  const data = 20
  if (first === 'VP8 ') {
    header.alpha = false
    if (u8(bytes, data + 3) !== 0x9d || u8(bytes, data + 4) !== 0x01) return header
    const width = u16le(bytes, data + 6)
    const height = u16le(bytes, data + 8)
    return sized(header, width === undefined ? width : width & 0x3fff, height && height & 0x3fff)
  }
  if (first === 'VP8L') {
    const bits = u32le(bytes, data + 1)
    if (u8(bytes, data) !== 0x2f || bits === undefined) return header
    header.alpha = (bits & 0x10000000) !== 0
    return sized(header, (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1)
  }
  if (first !== 'VP8X') return header

  const flags = u8(bytes, data) ?? 0
  header.animated = (flags & 0x02) !== 0
  header.alpha = (flags & 0x10) !== 0
  header.icc = (flags & 0x20) !== 0
  const width = u24le(bytes, data + 4)
  const height = u24le(bytes, data + 7)
  let at = data + (u32le(bytes, 16) ?? 10)
  while (at + 8 <= bytes.length) {
    const length = u32le(bytes, at + 4)!
    if (fourcc(bytes, at) === 'EXIF') {
      header.orientation = readExifOrientation(exifBody(bytes.subarray(at + 8, at + 8 + length)))
      break
    }
    at += 8 + length + (length & 1)
  }
  return sized(
    header,
    width === undefined ? width : width + 1,
    height === undefined ? height : height + 1,
  )
}

/** Some writers keep JPEG's `Exif\0\0` prefix inside the WebP chunk; skip it when present. */
function exifBody(chunk: Uint8Array): Uint8Array {
  return startsWith(chunk, 'Exif\0\0') ? chunk.subarray(6) : chunk
}
