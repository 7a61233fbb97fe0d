import { afterAll, describe, expect, it } from 'vitest'
import { AppError, registerErrorTransfer } from '../../wasm/shared/errors'
import { BLUE, RED, WHITE, fixture, near, pixelsOf, rgbaAt, startWorker } from './image-harness'
import type { ConvertOptions } from '../../wasm/api'

registerErrorTransfer()

const { api, worker } = startWorker()
afterAll(() => worker.terminate())

const BASE: ConvertOptions = { format: 'webp', quality: 80, maxPixels: 100e6 }

describe('convertImage', () => {
  it.each([
    ['webp', 'image/webp', [0x52, 0x49, 0x46, 0x46]],
    ['jpeg', 'image/jpeg', [0xff, 0xd8, 0xff]],
    ['png', 'image/png', [0x89, 0x50, 0x4e, 0x47]],
    ['avif', 'image/avif', [0, 0, 0]],
  ] as const)('re-encodes to %s', async (format, mime, magic) => {
    const out = await api.convert(await fixture('jpeg-baseline-300x200.jpg'), { ...BASE, format })
    const decoded = await pixelsOf(out.bytes, mime)

    expect(out).toMatchObject({ mime, width: 300, height: 200 })
    expect(Array.from(new Uint8Array(out.bytes, 0, magic.length))).toEqual(magic)
    expect([decoded.width, decoded.height]).toEqual([300, 200])
    expect(near(rgbaAt(decoded, 40, 40), RED, 24)).toBe(true)
    expect(near(rgbaAt(decoded, 260, 160), WHITE, 24)).toBe(true)
  })

  it('fits into a long side without upscaling', async () => {
    const bytes = await fixture('jpeg-baseline-300x200.jpg')
    const smaller = await api.convert(bytes.slice(0), { ...BASE, maxSide: 150 })
    const same = await api.convert(bytes.slice(0), { ...BASE, maxSide: 2000 })

    expect([smaller.width, smaller.height]).toEqual([150, 100])
    expect([same.width, same.height]).toEqual([300, 200])
  })

  it('writes the upright picture', async () => {
    const out = await api.convert(await fixture('jpeg-orientation-6.jpg'), {
      ...BASE,
      format: 'png',
    })
    const decoded = await pixelsOf(out.bytes, 'image/png')

    expect([decoded.width, decoded.height]).toEqual([64, 48])
    expect(near(rgbaAt(decoded, 4, 4), RED, 24)).toBe(true)
    expect(near(rgbaAt(decoded, 4, 43), BLUE, 24)).toBe(true)
  })

  it('makes a smaller file at a lower quality', async () => {
    const bytes = await fixture('jpeg-large-1200x900.jpg')
    const low = await api.convert(bytes.slice(0), { ...BASE, format: 'jpeg', quality: 10 })
    const high = await api.convert(bytes.slice(0), { ...BASE, format: 'jpeg', quality: 95 })

    expect(low.bytes.byteLength).toBeLessThan(high.bytes.byteLength)
  })

  it('keeps alpha in PNG and WebP, and puts it on white in JPEG', async () => {
    const bytes = await fixture('png-palette-trns-40x40.png')
    const png = await pixelsOf(
      (await api.convert(bytes.slice(0), { ...BASE, format: 'png' })).bytes,
    )
    const jpeg = await pixelsOf(
      (await api.convert(bytes.slice(0), { ...BASE, format: 'jpeg' })).bytes,
      'image/jpeg',
    )

    expect(rgbaAt(png, 35, 20)[3]).toBe(0)
    expect(near(rgbaAt(jpeg, 35, 20), [255, 255, 255, 255], 8)).toBe(true)
    expect(near(rgbaAt(jpeg, 5, 20), [255, 0, 0, 255], 24)).toBe(true)
  })

  it('refuses what it cannot read with the same codes as processing', async () => {
    const codeOf = (bytes: ArrayBuffer, options = BASE) =>
      api.convert(bytes, options).then(
        () => 'none',
        (e: unknown) => (e instanceof AppError ? e.code : String(e)),
      )

    expect(await codeOf(await fixture('not-an-image.jpg'))).toBe('unsupported_type')
    expect(await codeOf(await fixture('bomb-png-24000x24000.png'))).toBe('too_many_pixels')
    expect(await codeOf((await fixture('png-rgb-300x200.png')).slice(0, 300))).toBe('corrupt')
    expect(await codeOf(new ArrayBuffer(0))).toBe('empty_file')
  })
})
