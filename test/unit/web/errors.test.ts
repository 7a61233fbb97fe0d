import { describe, expect, it } from 'vitest'
import { PROCESSING_ERROR_CODES } from '../../../wasm/shared/errors'
import { isRetryable, needsPassword } from '../../../web/errors'

describe('retry offers', () => {
  it('offer a retry for every code that asks for a password, so a typo can be corrected', () => {
    for (const code of PROCESSING_ERROR_CODES.filter(needsPassword)) {
      expect(isRetryable(code), code).toBe(true)
    }
  })

  it.each(['empty_file', 'unsupported_type', 'too_large', 'too_many_pixels', 'corrupt'])(
    'offer none for %s, which would fail the same way again',
    (code) => {
      expect(isRetryable(code)).toBe(false)
    },
  )
})
