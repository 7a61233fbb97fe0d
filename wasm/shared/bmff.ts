import { fourcc, indexOf, u16be, u32be, u8 } from './bytes'
import { orientationFromHeif } from './image'
import type { Orientation } from './image'

/** An ISO-BMFF box: its four-letter type and where its payload lies. */
export interface Box {
  type: string
  /** Offset of the payload, after the size and type (and the 64-bit size when present). */
  start: number
  /** Offset just past the box, clamped to the bytes available. */
  end: number
  /** Whether the box claims more bytes than there are (the file is cut short). */
  cut: boolean
}

/** The boxes laid end to end in `bytes[from, to)`. Stops at the first malformed header. */
export function boxes(bytes: Uint8Array, from = 0, to = bytes.length): Box[] {
  const found: Box[] = []
  let at = from
  while (at + 8 <= to) {
    const size32 = u32be(bytes, at)!
    const type = fourcc(bytes, at + 4)
    let header = 8
    let size = size32
    if (size32 === 1) {
      const high = u32be(bytes, at + 8)
      const low = u32be(bytes, at + 12)
      if (high === undefined || low === undefined) break
      header = 16
      size = high * 2 ** 32 + low
    } else if (size32 === 0) {
      size = to - at
    }
    if (size < header) break
    const end = at + size
    found.push({ type, start: at + header, end: Math.min(end, to), cut: end > to })
    at = end
  }
  return found
}

const AVIF_BRANDS = new Set(['avif', 'avis'])
const HEIF_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1'])

/** The image family named by a leading `ftyp` box, or undefined. */
export function ftypFamily(bytes: Uint8Array): 'avif' | 'heic' | undefined {
  if (fourcc(bytes, 4) !== 'ftyp') return undefined
  const size = u32be(bytes, 0) ?? 0
  const brands = [fourcc(bytes, 8)]
  for (let at = 16; at + 4 <= Math.min(size, bytes.length); at += 4) brands.push(fourcc(bytes, at))
  if (brands.some((brand) => AVIF_BRANDS.has(brand))) return 'avif'
  if (brands.some((brand) => HEIF_BRANDS.has(brand))) return 'heic'
  return undefined
}

export interface HeifHeader {
  /** Size of the primary image as coded (`ispe`), before `irot`/`imir`. */
  width?: number
  height?: number
  /** `irot` and `imir` of the primary image as an EXIF orientation. */
  orientation: Orientation
  /** Whether an auxiliary alpha image is declared (AV1 or HEVC alpha URN in `auxC`). */
  alpha: boolean
}

const ALPHA_URNS = ['urn:mpeg:mpegB:cicp:systems:auxiliary:alpha', 'urn:mpeg:hevc:2015:auxid:1']

/**
 * Reads the primary image's `ispe`, `irot` and `imir` from the `meta` box of a HEIF/AVIF
 * file. Without `pitm` it falls back to the largest `ispe` present.
 */
export function readHeifHeader(bytes: Uint8Array): HeifHeader {
  const meta = boxes(bytes).find((box) => box.type === 'meta')
  if (!meta) return { orientation: 1, alpha: false }
  // `meta` is a full box: version and flags come first.
  const children = boxes(bytes, meta.start + 4, meta.end)
  const primary = readPrimaryItem(
    bytes,
    children.find((box) => box.type === 'pitm'),
  )
  const iprp = children.find((box) => box.type === 'iprp')
  const iprpChildren = iprp ? boxes(bytes, iprp.start, iprp.end) : []
  const ipco = iprpChildren.find((box) => box.type === 'ipco')
  const properties = ipco ? boxes(bytes, ipco.start, ipco.end) : []
  const ipma = iprpChildren.find((box) => box.type === 'ipma')

  const indices = primary === undefined || !ipma ? [] : associations(bytes, ipma, primary)
  const mine = indices.map((index) => properties[index - 1]).filter((box) => box !== undefined)
  // Without `pitm` there is no way to tell the primary image, so take the largest.
  const ispe =
    primary === undefined ? largestIspe(bytes, properties) : mine.find((box) => box.type === 'ispe')
  const irot = mine.find((box) => box.type === 'irot')
  const imir = mine.find((box) => box.type === 'imir')

  const turns = irot ? (u8(bytes, irot.start) ?? 0) & 3 : 0
  const axis = imir ? (((u8(bytes, imir.start) ?? 0) & 1) as 0 | 1) : undefined
  const width = ispe ? u32be(bytes, ispe.start + 4) : undefined
  const height = ispe ? u32be(bytes, ispe.start + 8) : undefined
  const alpha = ALPHA_URNS.some((urn) => indexOf(bytes, urn, meta.start, meta.end) >= 0)
  return { width, height, orientation: orientationFromHeif(turns, axis), alpha }
}

function readPrimaryItem(bytes: Uint8Array, pitm: Box | undefined): number | undefined {
  if (!pitm) return undefined
  return u8(bytes, pitm.start) === 0 ? u16be(bytes, pitm.start + 4) : u32be(bytes, pitm.start + 4)
}

/** The 1-based `ipco` indices that `ipma` associates with `item`, in order. */
function associations(bytes: Uint8Array, ipma: Box, item: number): number[] {
  const version = u8(bytes, ipma.start) ?? 0
  const wideIndex = ((u8(bytes, ipma.start + 3) ?? 0) & 1) === 1
  const entries = u32be(bytes, ipma.start + 4) ?? 0
  let at = ipma.start + 8
  for (let i = 0; i < entries && at < ipma.end; i++) {
    const id = version < 1 ? u16be(bytes, at) : u32be(bytes, at)
    at += version < 1 ? 2 : 4
    const count = u8(bytes, at) ?? 0
    at += 1
    const found: number[] = []
    for (let j = 0; j < count; j++) {
      const raw = wideIndex ? u16be(bytes, at) : u8(bytes, at)
      at += wideIndex ? 2 : 1
      if (raw !== undefined) found.push(raw & (wideIndex ? 0x7fff : 0x7f))
    }
    if (id === item) return found
  }
  return []
}

function largestIspe(bytes: Uint8Array, properties: Box[]): Box | undefined {
  let best: Box | undefined
  let bestArea = -1
  for (const box of properties) {
    if (box.type !== 'ispe') continue
    const area = (u32be(bytes, box.start + 4) ?? 0) * (u32be(bytes, box.start + 8) ?? 0)
    if (area > bestArea) [best, bestArea] = [box, area]
  }
  return best
}

/** Reads an unsigned big-endian integer of 0, 4 or 8 bytes; undefined past the end. */
function uint(bytes: Uint8Array, at: number, size: number): number | undefined {
  if (size === 0) return 0
  if (size === 4) return u32be(bytes, at)
  const high = u32be(bytes, at)
  const low = u32be(bytes, at + 4)
  return high === undefined || low === undefined ? undefined : high * 2 ** 32 + low
}

/**
 * The end of the furthest byte range that `iloc` places in the file itself (construction
 * method 0), or undefined when there is no readable `iloc`. A file shorter than this is cut.
 */
export function itemDataEnd(bytes: Uint8Array): number | undefined {
  const meta = boxes(bytes).find((box) => box.type === 'meta')
  const iloc = meta && boxes(bytes, meta.start + 4, meta.end).find((box) => box.type === 'iloc')
  if (!iloc) return undefined
  const version = u8(bytes, iloc.start) ?? 0
  const sizes = u16be(bytes, iloc.start + 4) ?? 0
  const [offsetSize, lengthSize, baseSize] = [sizes >> 12, (sizes >> 8) & 15, (sizes >> 4) & 15]
  const indexSize = version >= 1 ? sizes & 15 : 0
  let at = iloc.start + 6
  const count = version < 2 ? u16be(bytes, at) : u32be(bytes, at)
  at += version < 2 ? 2 : 4
  let end = 0
  for (let i = 0; i < (count ?? 0); i++) {
    at += version < 2 ? 2 : 4
    const method = version >= 1 ? (u16be(bytes, at) ?? 0) & 15 : 0
    at += (version >= 1 ? 2 : 0) + 2
    const base = uint(bytes, at, baseSize)
    at += baseSize
    const extents = u16be(bytes, at)
    at += 2
    if (base === undefined || extents === undefined) return undefined
    for (let e = 0; e < extents; e++) {
      at += indexSize
      const offset = uint(bytes, at, offsetSize)
      const length = uint(bytes, at + offsetSize, lengthSize)
      at += offsetSize + lengthSize
      if (offset === undefined || length === undefined) return undefined
      if (method === 0) end = Math.max(end, base + offset + length)
    }
  }
  return end
}
