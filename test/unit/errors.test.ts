import { describe, expect, it } from 'vitest'
import { AppError, isProcessingErrorCode } from '../../wasm/shared/errors'

describe('AppError', () => {
  it('keeps its code and name', () => {
    const error = new AppError('corrupt', 'broken')

    expect(error.code).toBe('corrupt')
    expect(error.name).toBe('AppError')
    expect(error).toBeInstanceOf(Error)
  })

  it('recognises only the stable codes', () => {
    expect(isProcessingErrorCode('timeout')).toBe(true)
    expect(isProcessingErrorCode('nope')).toBe(false)
  })
})
