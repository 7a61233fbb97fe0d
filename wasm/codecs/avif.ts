/** libavif (dav1d / aom) through `@jsquash/avif`, loaded on first use. */

let decoder: Promise<typeof import('@jsquash/avif/decode')> | undefined
let encoder: Promise<typeof import('@jsquash/avif/encode')> | undefined

/** Decodes the primary AVIF image to 8-bit RGBA, as coded (before `irot`/`imir`). */
export async function decodeAvif(bytes: ArrayBuffer): Promise<ImageData> {
  decoder ??= import('@jsquash/avif/decode')
  const { default: decode } = await decoder
  const image = await decode(bytes)
  if (!image) throw new Error('the AVIF decoder returned no image')
  return image
}

/** Encodes RGBA as 8-bit AVIF; `quality` is 0…100. */
export async function encodeAvif(image: ImageData, quality: number): Promise<ArrayBuffer> {
  encoder ??= import('@jsquash/avif/encode')
  const { default: encode } = await encoder
  return encode(image, { quality })
}
