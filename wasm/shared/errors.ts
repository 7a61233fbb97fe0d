import * as Comlink from 'comlink'

/** Stable codes for a file that could not be processed (see DESIGN.md). */
export const PROCESSING_ERROR_CODES = [
  'empty_file',
  'unsupported_type',
  'too_large',
  'too_many_pixels',
  'corrupt',
  'encrypted',
  'wrong_password',
  'timeout',
  'worker_crashed',
  'cancelled',
  'quota_exceeded',
] as const

export type ProcessingErrorCode = (typeof PROCESSING_ERROR_CODES)[number]

/**
 * An error with a stable `code`, thrown by the worker tier and the page alike.
 *
 * @example
 * throw new AppError('too_many_pixels', 'image is 24000×24000, over the 100 MP limit')
 */
export class AppError extends Error {
  readonly code: ProcessingErrorCode

  constructor(code: ProcessingErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'AppError'
    this.code = code
  }
}

/** Whether `value` is one of the stable processing codes. */
export function isProcessingErrorCode(value: unknown): value is ProcessingErrorCode {
  return (PROCESSING_ERROR_CODES as readonly unknown[]).includes(value)
}

interface SerializedThrow {
  isError: boolean
  value: { message: string; name: string; stack?: string; code?: string } | unknown
}

/**
 * Wraps Comlink's `throw` handler on this side of a worker boundary so that an `AppError`
 * arrives as an `AppError`, `code` included. Call it once in the worker and once in the page.
 */
export function registerErrorTransfer(): void {
  const original = Comlink.transferHandlers.get('throw') as Comlink.TransferHandler<
    { value: unknown },
    SerializedThrow
  >
  if ((original as { quire?: boolean }).quire) return
  const handler: Comlink.TransferHandler<{ value: unknown }, SerializedThrow> & { quire: true } = {
    quire: true,
    canHandle: original.canHandle,
    serialize(thrown) {
      const [wire, transfers] = original.serialize(thrown)
      if (thrown.value instanceof AppError && wire.isError) {
        wire.value = { ...(wire.value as object), code: thrown.value.code }
      }
      return [wire, transfers]
    },
    deserialize(wire) {
      const value = wire.value as { message?: string; stack?: string; code?: unknown }
      if (wire.isError && isProcessingErrorCode(value.code)) {
        const error = new AppError(value.code, value.message ?? value.code)
        if (value.stack) error.stack = value.stack
        throw error
      }
      return original.deserialize(wire)
    },
  }
  Comlink.transferHandlers.set('throw', handler)
}
