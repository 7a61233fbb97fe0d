import { describe, expect, it } from 'vitest'
import { AppError, registerErrorTransfer } from '../../wasm/shared/errors'
import { OPTIONS, startWorker } from './image-harness'

registerErrorTransfer()

describe('worker bridge', () => {
  it('rejects an empty file with an AppError whose code crossed the boundary', async () => {
    const { api, worker } = startWorker()

    const error = await api.process(new ArrayBuffer(0), OPTIONS).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('empty_file')
    worker.terminate()
  })
})
