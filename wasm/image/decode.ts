import { decodeAvif } from '../codecs/avif'
import { decodeHeic } from '../codecs/heic'
import { decodeJpeg } from '../codecs/jpeg'
import { decodeWithPlatform, platformOrients } from '../codecs/platform'
import { decodePng } from '../codecs/png'
import { decodeWebp } from '../codecs/webp'
import { AppError } from '../shared/errors'
import { orientedSize } from '../shared/image'
import { IMAGE_MIME } from '../shared/sniff'
import type { ImageHeader } from '../shared/image-header'
import type { Orientation } from '../shared/image'

export interface Decoded {
  pixels: ImageData
  /** Orientation still to apply to `pixels` (1 when the decoder already did it). */
  orientation: Orientation
  /** Which decoder produced the pixels, for diagnostics. */
  decoder: 'jsquash' | 'libheif' | 'platform'
}

/**
 * Decodes the first frame of a whole image file to RGBA, picking the decoder by type: jSquash
 * for still JPEG, PNG, WebP and AVIF; libheif for HEIC; Chromium's decoders for GIF, for
 * animations, CMYK JPEG and opaque JPEG/WebP with an ICC profile, and as the fallback when
 * a jSquash build refuses a file.
 * Decoder failures become `corrupt`; a HEIF codec libheif-js lacks is `unsupported_type`.
 */
export async function decodeImage(bytes: ArrayBuffer, header: ImageHeader): Promise<Decoded> {
  const mime = IMAGE_MIME[header.type]
  const platform = async (): Promise<Decoded> => {
    const pixels = await decodeWithPlatform(bytes, mime)
    const orientation = platformOrients(header.type) ? 1 : header.orientation
    checkDecodedSize(header, pixels, orientation)
    return { pixels, orientation, decoder: 'platform' }
  }
  const primary = primaryDecoder(header)
  try {
    if (!primary) return await platform()
    const pixels = await primary(bytes)
    const decoder = header.type === 'heic' ? 'libheif' : 'jsquash'
    const orientation = header.type === 'heic' ? 1 : header.orientation
    checkDecodedSize(header, pixels, orientation)
    return { pixels, orientation, decoder }
  } catch (first) {
    if (first instanceof AppError) throw first
    if (!primary || header.type === 'heic') throw corrupt(header, first)
    try {
      return await platform()
    } catch (second) {
      throw second instanceof AppError ? second : corrupt(header, first)
    }
  }
}

function primaryDecoder(header: ImageHeader): ((bytes: ArrayBuffer) => Promise<ImageData>) | null {
  // MozJPEG's RGBA path aborts on four-channel (CMYK/YCCK) JPEG, and the jSquash decoders
  // ignore ICC profiles: Chromium converts an opaque picture's profile to sRGB.
  const managed = header.icc && header.alpha === false
  if (header.animated || header.cmyk || managed) return null
  switch (header.type) {
    case 'jpeg':
      return decodeJpeg
    case 'png':
      return decodePng
    case 'webp':
      return decodeWebp
    case 'avif':
      return decodeAvif
    case 'heic':
      return decodeHeic
    case 'gif':
      return null
  }
}

const NAMES: Record<ImageHeader['type'], string> = {
  jpeg: 'JPEG',
  png: 'PNG',
  webp: 'WebP',
  gif: 'GIF',
  avif: 'AVIF',
  heic: 'HEIC',
}

/**
 * A full-size decode must come out at the size the header declares (turned, when the decoder
 * applied the orientation itself), or the header lied and the limits checked against it mean
 * nothing. A HEIF clean aperture (`clap`) may crop the picture, never enlarge it. Chromium's
 * scaled decodes (`fit.ts`) are not checked: they come out at the size asked for.
 */
function checkDecodedSize(header: ImageHeader, pixels: ImageData, orientation: Orientation) {
  const declared = { width: header.width ?? 0, height: header.height ?? 0 }
  const applied = orientation === header.orientation ? 1 : header.orientation
  const expected = orientedSize(declared, applied)
  const { width, height } = pixels
  const fits = header.cropped
    ? width <= expected.width && height <= expected.height
    : width === expected.width && height === expected.height
  if (fits) return
  throw new AppError(
    'corrupt',
    `this ${NAMES[header.type]} file declares a ${expected.width}×${expected.height} image ` +
      `but holds a ${width}×${height} one`,
  )
}

function corrupt(header: ImageHeader, cause: unknown): AppError {
  const name = NAMES[header.type]
  return new AppError('corrupt', `this ${name} file is damaged and cannot be decoded`, { cause })
}
