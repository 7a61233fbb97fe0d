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

/**
 * The boxes laid end to end in `bytes[from, to)`, one at a time. Stops at the first malformed
 * header. Each box takes at least 8 bytes, so the walk is bounded by the range.
 */
export function* eachBox(bytes: Uint8Array, from = 0, to = bytes.length): Generator<Box> {
  let at = from
  while (at + 8 <= to) {
    const size32 = u32be(bytes, at)!
    const type = fourcc(bytes, at + 4)
    let header = 8
    let size = size32
    if (size32 === 1) {
      const high = u32be(bytes, at + 8)
      const low = u32be(bytes, at + 12)
      if (high === undefined || low === undefined || at + 16 > to) return
      header = 16
      size = high * 2 ** 32 + low
    } else if (size32 === 0) {
      size = to - at
    }
    if (size < header) return
    const end = at + size
    yield { type, start: at + header, end: Math.min(end, to), cut: end > to }
    at = end
  }
}

/**
 * The boxes laid end to end in `bytes[from, to)`, at most `limit` of them. Stops at the first
 * malformed header.
 */
export function boxes(bytes: Uint8Array, from = 0, to = bytes.length, limit = Infinity): Box[] {
  const found: Box[] = []
  for (const box of eachBox(bytes, from, to)) {
    if (found.length >= limit) break
    found.push(box)
  }
  return found
}

/** The first box of `type` in `bytes[from, to)`, without listing the others. */
export function findBox(
  bytes: Uint8Array,
  type: string,
  from = 0,
  to = bytes.length,
): Box | undefined {
  for (const box of eachBox(bytes, from, to)) if (box.type === type) return box
  return undefined
}

/**
 * The bytes up to the end of `box`: reads through it answer `undefined` past the box instead of
 * running into the boxes after it, so a box's fields can only come from the box itself.
 */
function upTo(bytes: Uint8Array, box: Box): Uint8Array {
  return bytes.subarray(0, box.end)
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
  /** Whether the primary image has a clean aperture (`clap`), which crops it when shown. */
  cropped?: boolean
  /** The primary AV1 image's frame size from its sequence header, as coded. */
  coded?: { width: number; height: number }
}

const ALPHA_URNS = ['urn:mpeg:mpegB:cicp:systems:auxiliary:alpha', 'urn:mpeg:hevc:2015:auxid:1']

/** `ipma` refers to properties by a 7- or 15-bit index, so no more of `ipco` can matter. */
const MAX_PROPERTIES = 0x7fff

/**
 * Reads the primary image's `ispe`, `irot` and `imir` from the `meta` box of a HEIF/AVIF
 * file. Without `pitm` it falls back to the largest `ispe` present. Every box is read only
 * within its own extent.
 */
export function readHeifHeader(bytes: Uint8Array): HeifHeader {
  const meta = findBox(bytes, 'meta')
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
  const properties = ipco ? boxes(bytes, ipco.start, ipco.end, MAX_PROPERTIES) : []
  const ipma = iprpChildren.find((box) => box.type === 'ipma')

  const indices = primary === undefined || !ipma ? [] : associations(bytes, ipma, primary)
  const mine = indices.map((index) => properties[index - 1]).filter((box) => box !== undefined)
  // Without `pitm` there is no way to tell the primary image, so take the largest.
  const ispe =
    primary === undefined ? largestIspe(bytes, properties) : mine.find((box) => box.type === 'ispe')
  const irot = mine.find((box) => box.type === 'irot')
  const imir = mine.find((box) => box.type === 'imir')

  const turns = irot ? (u8(upTo(bytes, irot), irot.start) ?? 0) & 3 : 0
  const axis = imir ? (((u8(upTo(bytes, imir), imir.start) ?? 0) & 1) as 0 | 1) : undefined
  const width = ispe ? u32be(upTo(bytes, ispe), ispe.start + 4) : undefined
  const height = ispe ? u32be(upTo(bytes, ispe), ispe.start + 8) : undefined
  const alpha = ALPHA_URNS.some((urn) => indexOf(bytes, urn, meta.start, meta.end) >= 0)
  const header: HeifHeader = { width, height, orientation: orientationFromHeif(turns, axis), alpha }
  if (mine.some((box) => box.type === 'clap')) header.cropped = true
  const av1 = primary !== undefined && mine.some((box) => box.type === 'av1C')
  const data = av1 ? firstExtent(bytes, primary) : undefined
  const coded = data && av1FrameSize(bytes, data.offset, data.offset + (data.length || Infinity))
  if (coded) header.coded = coded
  return header
}

function readPrimaryItem(bytes: Uint8Array, pitm: Box | undefined): number | undefined {
  if (!pitm) return undefined
  const box = upTo(bytes, pitm)
  return u8(box, pitm.start) === 0 ? u16be(box, pitm.start + 4) : u32be(box, pitm.start + 4)
}

/**
 * The 1-based `ipco` indices that `ipma` associates with `item`, in order. An entry count
 * larger than the box could hold answers no indices.
 */
function associations(bytes: Uint8Array, ipma: Box, item: number): number[] {
  const box = upTo(bytes, ipma)
  const version = u8(box, ipma.start) ?? 0
  const wideIndex = ((u8(box, ipma.start + 3) ?? 0) & 1) === 1
  const entries = u32be(box, ipma.start + 4) ?? 0
  const idSize = version < 1 ? 2 : 4
  const indexSize = wideIndex ? 2 : 1
  let at = ipma.start + 8
  // Each entry takes its item id and a one-byte association count at least.
  if (entries > (ipma.end - at) / (idSize + 1)) return []
  for (let i = 0; i < entries && at < ipma.end; i++) {
    const id = idSize === 2 ? u16be(box, at) : u32be(box, at)
    const count = u8(box, at + idSize)
    at += idSize + 1
    if (id === undefined || count === undefined) return []
    const found: number[] = []
    for (let j = 0; j < count; j++) {
      const raw = wideIndex ? u16be(box, at) : u8(box, at)
      at += indexSize
      if (raw === undefined) return []
      found.push(raw & (wideIndex ? 0x7fff : 0x7f))
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
    const within = upTo(bytes, box)
    const area = (u32be(within, box.start + 4) ?? 0) * (u32be(within, box.start + 8) ?? 0)
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

/** Where the `iloc` box places the item data, or why it cannot be read. */
export type ItemData = { end: number; problem?: undefined } | { end?: undefined; problem: string }

/** One byte range of an item's data as `iloc` places it (base offset included). */
interface Extent {
  item: number
  /** Construction method: 0 is a range of the file itself. */
  method: number
  offset: number
  /** 0 means "to the end of the file". */
  length: number
}

const FIELD_SIZES = new Set([0, 4, 8])

/**
 * The end of the furthest byte range that `iloc` places in the file itself (construction
 * method 0), or undefined when there is no `iloc`. A file shorter than this is cut.
 */
export function itemDataEnd(bytes: Uint8Array): ItemData | undefined {
  let end = 0
  const problem = walkIloc(bytes, (extent) => {
    if (extent.method === 0) end = Math.max(end, extent.offset + extent.length)
  })
  if (problem === null) return undefined
  return problem === undefined ? { end } : { problem }
}

/** The first byte range of `item`'s data in the file, or undefined. */
function firstExtent(bytes: Uint8Array, item: number): Extent | undefined {
  let found: Extent | undefined
  walkIloc(bytes, (extent) => {
    if (!found && extent.item === item && extent.method === 0) found = extent
  })
  return found
}

/**
 * Visits every extent that `iloc` lists. Answers null when there is no `iloc`, a problem
 * when it is damaged, and undefined when the walk went through.
 *
 * The walk stays inside the `iloc` box: a count of items or extents that cannot fit in the
 * bytes left in the box is a problem, found before any of them is read, so the work is
 * bounded by the size of the box whatever the counts claim.
 */
function walkIloc(bytes: Uint8Array, visit: (extent: Extent) => void): string | null | undefined {
  const meta = findBox(bytes, 'meta')
  const iloc = meta && findBox(bytes, 'iloc', meta.start + 4, meta.end)
  if (!iloc) return null
  const box = upTo(bytes, iloc)
  const version = u8(box, iloc.start)
  const sizes = u16be(box, iloc.start + 4)
  if (version === undefined || version > 2 || sizes === undefined) return DAMAGED
  const [offsetSize, lengthSize, baseSize] = [sizes >> 12, (sizes >> 8) & 15, (sizes >> 4) & 15]
  const indexSize = version >= 1 ? sizes & 15 : 0
  if (![offsetSize, lengthSize, baseSize, indexSize].every((size) => FIELD_SIZES.has(size))) {
    return 'the iloc box uses field sizes other than 0, 4 or 8 bytes'
  }
  const idSize = version < 2 ? 2 : 4
  let at = iloc.start + 6
  const count = idSize === 2 ? u16be(box, at) : u32be(box, at)
  at += idSize
  if (count === undefined) return DAMAGED

  // An item takes its id, construction method (version 1 and 2), data reference index, base
  // offset and extent count; an extent takes its index, offset and length.
  const itemSize = idSize + (version >= 1 ? 2 : 0) + 2 + baseSize + 2
  const extentSize = indexSize + offsetSize + lengthSize
  if (count > (iloc.end - at) / itemSize) {
    return `the iloc box lists ${count} items, more than its ${iloc.end - at} bytes hold`
  }
  for (let i = 0; i < count; i++) {
    const item = idSize === 2 ? u16be(box, at) : u32be(box, at)
    at += idSize
    const method = version >= 1 ? (u16be(box, at) ?? 0) & 15 : 0
    at += (version >= 1 ? 2 : 0) + 2
    const base = uint(box, at, baseSize)
    at += baseSize
    const extents = u16be(box, at)
    at += 2
    if (item === undefined || base === undefined || extents === undefined) return DAMAGED
    if (extents * extentSize > iloc.end - at) {
      return `an iloc item lists ${extents} extents, more than the box holds`
    }
    // Zero-byte extents all say "the file from the base offset on": one visit covers them.
    if (extentSize === 0) {
      if (extents > 0) visit({ item, method, offset: base, length: 0 })
      continue
    }
    for (let e = 0; e < extents; e++) {
      at += indexSize
      const offset = uint(box, at, offsetSize)
      const length = uint(box, at + offsetSize, lengthSize)
      at += offsetSize + lengthSize
      if (offset === undefined || length === undefined) return DAMAGED
      visit({ item, method, offset: base + offset, length })
    }
  }
  return undefined
}

const DAMAGED = 'the iloc box is damaged'

/**
 * The maximum frame size in the AV1 sequence header at the start of an item's data (the
 * OBUs before the first frame), or undefined when there is none or it cannot be read. Every
 * OBU takes at least one byte and the bit reader stops at `end`, so the walk is bounded.
 */
export function av1FrameSize(
  bytes: Uint8Array,
  start: number,
  end: number,
): { width: number; height: number } | undefined {
  const data = bytes.subarray(0, Math.min(end, bytes.length))
  let at = start
  while (at < data.length) {
    const header = data[at]!
    const type = (header >> 3) & 15
    const hasSize = (header & 2) !== 0
    at += (header & 4) !== 0 ? 2 : 1
    if (!hasSize) return type === 1 ? readSequenceHeader(data, at, data.length) : undefined
    let size = 0
    for (let i = 0; i < 8; i++) {
      const byte = u8(data, at++)
      if (byte === undefined) return undefined
      size += (byte & 0x7f) * 2 ** (7 * i)
      if ((byte & 0x80) === 0) break
    }
    if (type === 1) return readSequenceHeader(data, at, Math.min(at + size, data.length))
    // Only temporal delimiters and metadata may come before the sequence header.
    if (type !== 2 && type !== 5) return undefined
    at += size
  }
  return undefined
}

/** AV1 specification 5.5.1: the fields of a sequence header up to the maximum frame size. */
function readSequenceHeader(bytes: Uint8Array, from: number, to: number) {
  let bit = from * 8
  const read = (n: number): number => {
    let value = 0
    for (let i = 0; i < n; i++, bit++) {
      if (bit >= to * 8) throw new RangeError('past the sequence header')
      value = value * 2 + ((bytes[bit >> 3]! >> (7 - (bit & 7))) & 1)
    }
    return value
  }
  try {
    read(3) // seq_profile
    read(1) // still_picture
    if (read(1) === 1) {
      read(5) // reduced_still_picture_header: seq_level_idx[0] only
    } else {
      let delayLength = 0
      let decoderModel = false
      if (read(1) === 1) {
        read(32 + 32) // timing_info: num_units_in_display_tick, time_scale
        if (read(1) === 1) {
          let zeros = 0
          while (read(1) === 0 && zeros < 32) zeros++
          read(zeros) // num_ticks_per_picture_minus_1 (uvlc)
        }
        decoderModel = read(1) === 1
        if (decoderModel) {
          delayLength = read(5) + 1
          read(32 + 5 + 5)
        }
      }
      const initialDelay = read(1) === 1
      const points = read(5) + 1
      for (let i = 0; i < points; i++) {
        read(12) // operating_point_idc
        if (read(5) > 7) read(1) // seq_level_idx, seq_tier
        if (decoderModel && read(1) === 1) read(2 * delayLength + 1)
        if (initialDelay && read(1) === 1) read(4)
      }
    }
    const widthBits = read(4) + 1
    const heightBits = read(4) + 1
    return { width: read(widthBits) + 1, height: read(heightBits) + 1 }
  } catch {
    return undefined
  }
}
