/** Lanczos3 scaling through `@jsquash/resize` (the Rust `resize` crate), loaded on first use. */

let resizer: Promise<typeof import('@jsquash/resize')> | undefined

/** Scales RGBA pixels to exactly `size`, with alpha premultiplied while filtering. */
export async function resizePixels(
  image: ImageData,
  size: { width: number; height: number },
): Promise<ImageData> {
  if (size.width === image.width && size.height === image.height) return image
  resizer ??= import('@jsquash/resize').then(async (module) => {
    await module.initResize()
    return module
  })
  const { default: resize } = await resizer
  return resize(image, {
    width: size.width,
    height: size.height,
    method: 'lanczos3',
    fitMethod: 'stretch',
    premultiply: true,
    linearRGB: false,
  })
}
