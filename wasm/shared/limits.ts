import type { Sniffed } from '../api'
import type { ProcessingErrorCode } from './errors'

/** Why a file is refused before any decode: a stable code and a sentence for people. */
export interface Refusal {
  code: ProcessingErrorCode
  message: string
}

export interface Limits {
  maxBytes: number
  maxPixels: number
}

const mib = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')
const megapixels = (pixels: number) => `${Math.round(pixels / 1e5) / 10} megapixels`

/** An empty file, or one over the byte limit. */
export function sizeRefusal(bytes: number, maxBytes: number): Refusal | undefined {
  if (bytes === 0) return { code: 'empty_file', message: 'the file is empty' }
  if (bytes > maxBytes) {
    const message = `the file is ${mib(bytes)} MiB, over the ${mib(maxBytes)} MiB limit`
    return { code: 'too_large', message }
  }
  return undefined
}

/** An image whose declared size is over the pixel limit; checked before anything is allocated. */
export function pixelRefusal(
  width: number,
  height: number,
  maxPixels: number,
): Refusal | undefined {
  if (width * height <= maxPixels) return undefined
  const message =
    `the image is ${width}×${height} (${megapixels(width * height)}), ` +
    `over the limit of ${megapixels(maxPixels)}`
  return { code: 'too_many_pixels', message }
}

/**
 * The checks every file passes before it is decoded, cheapest first, applied alike by the page
 * at intake and by the worker (which does not trust the page).
 *
 * @example
 * refusal(file.size, sniff(head), { maxBytes, maxPixels }) // undefined, or { code, message }
 */
export function refusal(bytes: number, sniffed: Sniffed, limits: Limits): Refusal | undefined {
  if (bytes === 0) return sizeRefusal(bytes, limits.maxBytes)
  if (sniffed.kind === null) {
    return { code: 'unsupported_type', message: 'this file is not an image or PDF Quire can read' }
  }
  const tooBig = sizeRefusal(bytes, limits.maxBytes)
  if (tooBig) return tooBig
  const { width, height } = sniffed
  if (width === undefined || height === undefined) return undefined
  return pixelRefusal(width, height, limits.maxPixels)
}
