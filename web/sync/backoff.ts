/** What the outbox does after a failed send. */
export type SendVerdict = 'retry' | 'reconnect' | 'give_up'

/**
 * Network errors (status 0), 408, 429 and 5xx are worth retrying; 401 needs a new token;
 * any other 4xx will fail the same way again.
 */
export function verdictFor(status: number): SendVerdict {
  if (status === 0 || status === 408 || status === 429 || status >= 500) return 'retry'
  if (status === 401) return 'reconnect'
  return 'give_up'
}

export interface BackoffOptions {
  baseMs?: number
  capMs?: number
  /** 0…1 source of randomness, injectable for tests. */
  random?: () => number
}

/**
 * Delay before attempt `attempt + 1`: exponential from `baseMs`, capped, with "equal jitter"
 * (half fixed, half random) so that many clients back off without marching in step. A server's
 * `Retry-After` is a floor.
 */
export function backoffDelay(
  attempt: number,
  retryAfterSeconds?: number,
  { baseMs = 1000, capMs = 5 * 60_000, random = Math.random }: BackoffOptions = {},
): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1))
  const jittered = exp / 2 + random() * (exp / 2)
  const floor = retryAfterSeconds !== undefined ? retryAfterSeconds * 1000 : 0
  return Math.round(Math.max(jittered, floor))
}
