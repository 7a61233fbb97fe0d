/** The Rust `png` crate through `@jsquash/png`, loaded on first use. */

type PngDecode = typeof import('@jsquash/png/decode')
type PngEncode = typeof import('@jsquash/png/encode')

let decoder: Promise<PngDecode> | undefined
let encoder: Promise<PngEncode> | undefined

/** Decodes any PNG colour type and depth to 8-bit RGBA (16-bit samples are narrowed). */
export async function decodePng(bytes: ArrayBuffer): Promise<ImageData> {
  decoder ??= import('@jsquash/png/decode').then(async (module) => {
    await module.init()
    return module
  })
  const { decode } = await decoder
  return decode(bytes)
}

/** Encodes 8-bit RGBA losslessly. */
export async function encodePng(image: ImageData): Promise<ArrayBuffer> {
  encoder ??= import('@jsquash/png/encode').then(async (module) => {
    await module.init()
    return module
  })
  const { default: encode } = await encoder
  return encode(image)
}
