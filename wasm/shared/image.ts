/**
 * Image geometry shared by the page and the worker: EXIF orientation and the sizing rule for
 * thumbnails and previews. Pure functions over numbers and pixel buffers.
 */

/** EXIF orientation: 1 upright, 2–8 the seven flips and rotations, as in TIFF/EP. */
export type Orientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8

export interface Size {
  width: number
  height: number
}

/** Whether this orientation swaps width and height (the four 90° variants, 5–8). */
export function swapsAxes(orientation: Orientation): boolean {
  return orientation >= 5
}

/** The upright size of a stored image. */
export function orientedSize(stored: Size, orientation: Orientation): Size {
  return swapsAxes(orientation)
    ? { width: stored.height, height: stored.width }
    : { width: stored.width, height: stored.height }
}

/**
 * Fits `size` into a square of side `longSide`, keeping its aspect ratio, never upscaling.
 * The long side becomes exactly `longSide`; the short side is
 * `max(1, round(short × longSide / long))`, so a 4000×3000 photo gives 256×192 and a
 * 10000×10 strip gives 256×1.
 *
 * @example
 * fitLongSide({ width: 64, height: 48 }, 256) // { width: 64, height: 48 }: never upscaled
 */
export function fitLongSide(size: Size, longSide: number): Size {
  const long = Math.max(size.width, size.height)
  if (long <= longSide) return { width: size.width, height: size.height }
  const scale = (short: number) => Math.max(1, Math.round((short * longSide) / long))
  return size.width >= size.height
    ? { width: longSide, height: scale(size.height) }
    : { width: scale(size.width), height: longSide }
}

/** RGBA pixels with their size, the shape of `ImageData` without needing the DOM type. */
export interface Pixels {
  data: Uint8ClampedArray
  width: number
  height: number
}

/**
 * Turns stored RGBA pixels upright for an EXIF orientation, returning a new buffer
 * (or the same pixels for orientation 1).
 */
export function orientPixels<T extends Pixels>(
  image: T,
  orientation: Orientation,
  make: (data: Uint8ClampedArray<ArrayBuffer>, width: number, height: number) => T,
): T {
  if (orientation === 1) return image
  const { width: w, height: h } = image
  const out = orientedSize(image, orientation)
  const src = new Uint32Array(image.data.buffer, image.data.byteOffset, w * h)
  const dst = new Uint32Array(w * h)
  const W = out.width
  // For each stored pixel (x, y), where it lands upright (u, v).
  const place: Record<Exclude<Orientation, 1>, (x: number, y: number) => number> = {
    2: (x, y) => y * W + (w - 1 - x),
    3: (x, y) => (h - 1 - y) * W + (w - 1 - x),
    4: (x, y) => (h - 1 - y) * W + x,
    5: (x, y) => x * W + y,
    6: (x, y) => x * W + (h - 1 - y),
    7: (x, y) => (w - 1 - x) * W + (h - 1 - y),
    8: (x, y) => (w - 1 - x) * W + y,
  }
  const at = place[orientation]
  for (let y = 0; y < h; y++) {
    const row = y * w
    for (let x = 0; x < w; x++) dst[at(x, y)] = src[row + x]!
  }
  return make(new Uint8ClampedArray(dst.buffer), out.width, out.height)
}

/**
 * The EXIF orientation equivalent to HEIF/AVIF `irot` (anticlockwise quarter turns) followed
 * by `imir` (axis 0: mirror left–right about a vertical axis; 1: top–bottom).
 */
export function orientationFromHeif(quarterTurnsCcw: number, mirrorAxis?: 0 | 1): Orientation {
  // Rows: turns 0..3; columns: no mirror, vertical-axis mirror, horizontal-axis mirror.
  const table: Orientation[][] = [
    [1, 2, 4],
    [8, 7, 5],
    [3, 4, 2],
    [6, 5, 7],
  ]
  const column = mirrorAxis === undefined ? 0 : mirrorAxis + 1
  return table[quarterTurnsCcw & 3]![column]!
}
