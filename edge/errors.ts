import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** Processing codes a failed document may carry (DESIGN.md), mirrored from `wasm/shared/errors.ts`. */
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

/** Every stable API error code, with the HTTP status it is sent with. The one place for both. */
export const API_ERROR_STATUS = {
  invalid_request: 400,
  invalid_json: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  quota_exceeded: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
} as const satisfies Record<string, ContentfulStatusCode>

export type ApiErrorCode = keyof typeof API_ERROR_STATUS

/** The body of every error response. */
export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string }
}

/**
 * The one error type routes and the tenant object throw; `onError` renders it.
 *
 * @example
 * throw new ApiError('not_found', `no document ${sha256} in this workspace`)
 */
export class ApiError extends Error {
  readonly code: ApiErrorCode
  /** Seconds, sent as `Retry-After` with `rate_limited`. */
  readonly retryAfter?: number

  constructor(
    code: ApiErrorCode,
    message: string,
    options?: { retryAfter?: number; cause?: unknown },
  ) {
    super(message, { cause: options?.cause })
    this.name = 'ApiError'
    this.code = code
    this.retryAfter = options?.retryAfter
  }

  get status(): ContentfulStatusCode {
    return API_ERROR_STATUS[this.code]
  }

  toBody(): ApiErrorBody {
    return { error: { code: this.code, message: this.message } }
  }
}

/** Whether `value` names a stable API error code. */
export function isApiErrorCode(value: unknown): value is ApiErrorCode {
  return typeof value === 'string' && Object.hasOwn(API_ERROR_STATUS, value)
}

/** The closest stable code for an HTTP status thrown by Hono itself (validators, body limits). */
export function codeForStatus(status: number): ApiErrorCode {
  const match = (Object.entries(API_ERROR_STATUS) as [ApiErrorCode, number][]).find(
    ([code, candidate]) => candidate === status && code !== 'invalid_json',
  )
  return match?.[0] ?? (status >= 500 ? 'internal' : 'invalid_request')
}

/** What a tenant object answers over RPC: errors travel as data so their code survives. */
export type Outcome<T> =
  | { ok: true; value: T }
  | { ok: false; error: { code: ApiErrorCode; message: string; retryAfter?: number } }

/** Returns the value of an outcome, or throws its error as an `ApiError`. */
export function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value
  const { code, message, retryAfter } = outcome.error
  throw new ApiError(code, message, { retryAfter })
}
