import * as Comlink from 'comlink'
import { describe, expect, it } from 'vitest'
import { AppError, registerErrorTransfer } from '../../wasm/shared/errors'
import type { WorkerApi } from '../../wasm/api'

registerErrorTransfer()

describe('worker bridge', () => {
  it('rejects an empty file with an AppError whose code crossed the boundary', async () => {
    const worker = new Worker(new URL('../../wasm/worker.ts', import.meta.url), { type: 'module' })
    const api = Comlink.wrap<WorkerApi>(worker)
    const options = {
      thumbSize: 256,
      previewSize: 1024,
      maxPixels: 100e6,
      maxBytes: 1e9,
      textCap: 2e6,
      pdfAssetsUrl: new URL('/pdfjs/', location.href).href,
    }

    const error = await api.process(new ArrayBuffer(0), options).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('empty_file')
    worker.terminate()
  })
})
