/** libwebp through `@jsquash/webp`, loaded on first use. */

let decoder: Promise<typeof import('@jsquash/webp/decode')> | undefined
let encoder: Promise<typeof import('@jsquash/webp/encode')> | undefined

/** Decodes a still WebP (lossy, lossless, with or without alpha) to RGBA. */
export async function decodeWebp(bytes: ArrayBuffer): Promise<ImageData> {
  decoder ??= import('@jsquash/webp/decode')
  const { default: decode } = await decoder
  return decode(bytes)
}

export interface WebpEncodeOptions {
  /** 0…100 for lossy; ignored when lossless. */
  quality: number
  lossless?: boolean
  /** libwebp effort, 0 (fastest) … 6; 4 is libwebp's default. */
  method?: number
}

/**
 * Encodes RGBA as WebP with alpha kept. No EXIF or orientation is written, so nothing
 * downstream rotates the pixels a second time.
 */
export async function encodeWebp(
  image: ImageData,
  options: WebpEncodeOptions,
): Promise<ArrayBuffer> {
  encoder ??= import('@jsquash/webp/encode')
  const { default: encode } = await encoder
  const method = options.method ?? 4
  if (options.lossless) return encode(image, { lossless: 1, quality: 75, exact: 1, method })
  return encode(image, { quality: options.quality, method })
}
