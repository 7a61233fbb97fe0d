import { describe, expect, it } from 'vitest'
import {
  fitLongSide,
  orientationFromHeif,
  orientedSize,
  orientPixels,
} from '../../wasm/shared/image'
import type { Orientation, Pixels } from '../../wasm/shared/image'

describe('fitLongSide', () => {
  it.each([
    [4000, 3000, 256, 256, 192],
    [3000, 4000, 256, 192, 256],
    [300, 200, 256, 256, 171], // 170.67 rounds up
    [200, 300, 256, 171, 256],
    [5640, 3172, 1024, 1024, 576], // 575.9 rounds up
    [10000, 10, 256, 256, 1], // never below one pixel
    [10, 10000, 256, 1, 256],
    [1000, 1000, 256, 256, 256],
    [1025, 3, 1024, 1024, 3],
    [257, 129, 256, 256, 128], // 128.5 rounds half up
  ])('fits %i×%i into %i as %i×%i', (width, height, side, w, h) => {
    expect(fitLongSide({ width, height }, side)).toEqual({ width: w, height: h })
  })

  it('never upscales', () => {
    expect(fitLongSide({ width: 64, height: 48 }, 256)).toEqual({ width: 64, height: 48 })
    expect(fitLongSide({ width: 256, height: 10 }, 256)).toEqual({ width: 256, height: 10 })
  })
})

describe('orientation', () => {
  // A 3×2 image whose pixels are numbered 1…6 in reading order:  1 2 3 / 4 5 6
  const stored: Pixels = {
    data: new Uint8ClampedArray(new Uint32Array([1, 2, 3, 4, 5, 6]).buffer),
    width: 3,
    height: 2,
  }
  const read = (p: Pixels) => Array.from(new Uint32Array(p.data.buffer))
  const make = (data: Uint8ClampedArray<ArrayBuffer>, width: number, height: number) => ({
    data,
    width,
    height,
  })

  it.each<[Orientation, number, number, number[]]>([
    [1, 3, 2, [1, 2, 3, 4, 5, 6]],
    [2, 3, 2, [3, 2, 1, 6, 5, 4]],
    [3, 3, 2, [6, 5, 4, 3, 2, 1]],
    [4, 3, 2, [4, 5, 6, 1, 2, 3]],
    [5, 2, 3, [1, 4, 2, 5, 3, 6]],
    [6, 2, 3, [4, 1, 5, 2, 6, 3]],
    [7, 2, 3, [6, 3, 5, 2, 4, 1]],
    [8, 2, 3, [3, 6, 2, 5, 1, 4]],
  ])('turns orientation %i upright as %i×%i', (orientation, width, height, pixels) => {
    const upright = orientPixels(stored, orientation, make)

    expect([upright.width, upright.height]).toEqual([width, height])
    expect(read(upright)).toEqual(pixels)
    expect(orientedSize(stored, orientation)).toEqual({ width, height })
  })

  it.each<[number, 0 | 1 | undefined, Orientation]>([
    [0, undefined, 1],
    [1, undefined, 8],
    [2, undefined, 3],
    [3, undefined, 6],
    [0, 0, 2],
    [0, 1, 4],
    [1, 0, 7],
    [3, 0, 5],
  ])('maps irot %i with imir %s to orientation %i', (turns, axis, orientation) => {
    expect(orientationFromHeif(turns, axis)).toBe(orientation)
  })
})
