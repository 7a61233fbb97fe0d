import { describe, expect, it } from 'vitest'
import { decodeJpegScaled } from '../../wasm/codecs/platform'
import { LIME, fixture, near, rgbaAt } from './image-harness'

describe('decodeJpegScaled', () => {
  it('decodes at the smallest eighth of the stored size that covers the target', async () => {
    const bytes = await fixture('jpeg-large-orientation-6-900x1200.jpg')
    const stored = { width: 900, height: 1200 }

    // 7/8 is the first scale that covers 768×1024 in both axes.
    const seven = await decodeJpegScaled(bytes, stored, { width: 768, height: 1024 })
    expect([seven?.width, seven?.height]).toEqual([788, 1050])
    // Half size covers 450×600 exactly; one pixel more takes 5/8.
    const half = await decodeJpegScaled(bytes, stored, { width: 450, height: 600 })
    expect([half?.width, half?.height]).toEqual([450, 600])
    const five = await decodeJpegScaled(bytes, stored, { width: 451, height: 600 })
    expect([five?.width, five?.height]).toEqual([563, 750])
  })

  it('keeps the stored axes and makes every pixel opaque', async () => {
    const bytes = await fixture('jpeg-large-orientation-6-900x1200.jpg')
    const image = await decodeJpegScaled(
      bytes,
      { width: 900, height: 1200 },
      { width: 100, height: 100 },
    )

    expect([image?.width, image?.height]).toEqual([113, 150])
    expect(image!.data.every((value, i) => i % 4 !== 3 || value === 255)).toBe(true)
  })

  it('converts an embedded ICC profile to sRGB', async () => {
    const bytes = await fixture('jpeg-large-icc-swap-1200x900.jpg')
    const image = (await decodeJpegScaled(
      bytes,
      { width: 1200, height: 900 },
      { width: 300, height: 225 },
    ))!

    // The profile swaps red and green, so the stored red quadrant shows lime.
    expect(near(rgbaAt(image, 10, 10), LIME, 24)).toBe(true)
  })

  it('leaves a target that needs the full size to the caller', async () => {
    const bytes = await fixture('jpeg-large-orientation-6-900x1200.jpg')
    const stored = { width: 900, height: 1200 }

    expect(await decodeJpegScaled(bytes, stored, { width: 890, height: 1000 })).toBeUndefined()
  })
})
