/** MozJPEG through `@jsquash/jpeg`, loaded on first use. */

let decoder: Promise<typeof import('@jsquash/jpeg/decode')> | undefined
let encoder: Promise<typeof import('@jsquash/jpeg/encode')> | undefined

/** Decodes a JPEG to RGBA as stored (EXIF orientation is left to the caller). */
export async function decodeJpeg(bytes: ArrayBuffer): Promise<ImageData> {
  decoder ??= import('@jsquash/jpeg/decode')
  const { default: decode } = await decoder
  return decode(bytes, { preserveOrientation: false })
}

/** Encodes RGBA as a baseline-compatible progressive JPEG; alpha is dropped. */
export async function encodeJpeg(image: ImageData, quality: number): Promise<ArrayBuffer> {
  encoder ??= import('@jsquash/jpeg/encode')
  const { default: encode } = await encoder
  return encode(image, { quality })
}
