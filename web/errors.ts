import type { ProcessingErrorCode } from '../wasm/shared/errors'

/** Stable codes the API answers with (see DESIGN.md), plus `network` for a failed fetch. */
export type ApiErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'invalid_json'
  | 'invalid_request'
  | 'payload_too_large'
  | 'quota_exceeded'
  | 'rate_limited'
  | 'network'
  | 'server_error'

export type ErrorCode = ProcessingErrorCode | ApiErrorCode

const TEXT: Record<ErrorCode, string> = {
  empty_file: 'This file is empty.',
  unsupported_type: 'Quire cannot read this kind of file. Try a JPEG, PNG, WebP, AVIF or PDF.',
  too_large: 'This file is larger than Quire accepts.',
  too_many_pixels: 'This image has more pixels than Quire can safely decode.',
  corrupt: 'This file is damaged and could not be read.',
  encrypted: 'This PDF is protected by a password.',
  wrong_password: 'That password did not open the PDF.',
  timeout: 'Processing took too long and was stopped.',
  worker_crashed: 'The processing worker stopped unexpectedly.',
  cancelled: 'Processing was cancelled.',
  quota_exceeded: 'This workspace has reached its storage limit.',
  unauthorized: 'The workspace token was refused. Reconnect to go on syncing.',
  forbidden: 'This workspace may not do that.',
  not_found: 'The server does not know this document.',
  invalid_json: 'The server could not read what was sent.',
  invalid_request: 'The server refused the request as invalid.',
  payload_too_large: 'This is larger than the server accepts.',
  rate_limited: 'The server is busy; Quire will try again shortly.',
  network: 'The server cannot be reached right now.',
  server_error: 'The server had a problem; Quire will try again.',
}

/** Codes for which running the job again can give a different outcome. */
const RETRYABLE = new Set<string>([
  'timeout',
  'worker_crashed',
  'cancelled',
  'encrypted',
  'wrong_password',
])

/** The text people see for an error code; unknown codes fall back to the server's message. */
export function errorText(code: string, fallback?: string): string {
  return (TEXT as Record<string, string>)[code] ?? fallback ?? `Something went wrong (${code}).`
}

/** Whether a failed job offers Retry. `encrypted` retries with a password. */
export function isRetryable(code: string): boolean {
  return RETRYABLE.has(code)
}

/** Whether a retry needs a password first. */
export function needsPassword(code: string): boolean {
  return code === 'encrypted' || code === 'wrong_password'
}
