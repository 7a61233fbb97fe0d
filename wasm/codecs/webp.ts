/** libwebp through `@jsquash/webp`, loaded on first use. */

let decoder: Promise<typeof import('@jsquash/webp/decode')> | undefined
let encoder: Promise<typeof import('@jsquash/webp/encode')> | undefined

/** Decodes a still WebP (lossy, lossless, with or without alpha) to RGBA. */
export async function decodeWebp(bytes: ArrayBuffer): Promise<ImageData> {
  decoder ??= import('@jsquash/webp/decode')
  const { default: decode } = await decoder
  return decode(bytes)
}

/**
 * Encodes RGBA as WebP with alpha kept, lossy at `quality` (0…100) or lossless. No EXIF or
 * orientation is written, so nothing downstream rotates the pixels a second time.
 */
export async function encodeWebp(
  image: ImageData,
  quality: number,
  lossless = false,
): Promise<ArrayBuffer> {
  encoder ??= import('@jsquash/webp/encode')
  const { default: encode } = await encoder
  return encode(image, lossless ? { lossless: 1, quality: 75, exact: 1 } : { quality })
}
