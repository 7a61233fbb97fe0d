import * as Comlink from 'comlink'
import { expect } from 'vitest'
import { commands } from 'vitest/browser'
import { AppError } from '../../wasm/shared/errors'
import { defaultProcessOptions } from '../../web/config'
import type { ProcessOptions, WorkerApi } from '../../wasm/api'

/** The options the page passes: `web/config.ts` defaults, pdf.js assets from this origin. */
export const OPTIONS: ProcessOptions = defaultProcessOptions()

/** A real module worker on `wasm/worker.ts`, wrapped with Comlink. */
export function startWorker(): { api: Comlink.Remote<WorkerApi>; worker: Worker } {
  const worker = new Worker(new URL('../../wasm/worker.ts', import.meta.url), { type: 'module' })
  return { api: Comlink.wrap<WorkerApi>(worker), worker }
}

/** The error a `process` call rejects with; the test fails unless it is an `AppError`. */
export async function processFailure(
  api: Comlink.Remote<WorkerApi>,
  bytes: ArrayBuffer,
  options: ProcessOptions = OPTIONS,
): Promise<AppError> {
  const error = await api.process(bytes, options).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

/** One of the generated fixtures in `test/fixtures/images/`. */
export async function fixture(name: string): Promise<ArrayBuffer> {
  const response = await fetch(new URL(`../fixtures/images/${name}`, import.meta.url))
  if (!response.ok) throw new Error(`fixture ${name}: HTTP ${response.status}`)
  return response.arrayBuffer()
}

/** A file from outside the project (the shared cases), or undefined when it is absent. */
export async function outsideFile(path: string): Promise<ArrayBuffer | undefined> {
  try {
    const base64 = await commands.readFile(path, 'base64')
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)).buffer
  } catch {
    return undefined
  }
}

/** Decodes encoded image bytes with the browser, as someone viewing them would see them. */
export async function pixelsOf(bytes: ArrayBuffer, mime = 'image/webp'): Promise<ImageData> {
  const bitmap = await createImageBitmap(new Blob([bytes], { type: mime }))
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height)
  const context = canvas.getContext('2d', { willReadFrequently: true })!
  context.drawImage(bitmap, 0, 0)
  bitmap.close()
  return context.getImageData(0, 0, canvas.width, canvas.height)
}

export function rgbaAt(image: ImageData, x: number, y: number): number[] {
  const at = (y * image.width + x) * 4
  return Array.from(image.data.subarray(at, at + 4))
}

/** Whether each channel of `actual` is within `tolerance` of `expected`. */
export function near(actual: number[], expected: number[], tolerance: number): boolean {
  return expected.every((value, i) => Math.abs((actual[i] ?? -999) - value) <= tolerance)
}

export const RED = [255, 0, 0]
export const LIME = [0, 255, 0]
export const BLUE = [0, 0, 255]
export const WHITE = [255, 255, 255]
