import { describe, expect, it } from 'vitest'
import { backoffDelay, verdictFor } from '../../../../web/sync/backoff'

describe('verdictFor', () => {
  it.each([
    [0, 'retry'],
    [408, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [503, 'retry'],
    [401, 'reconnect'],
    [400, 'give_up'],
    [403, 'give_up'],
    [404, 'give_up'],
    [413, 'give_up'],
  ] as const)('answers %i with %s', (status, verdict) => {
    expect(verdictFor(status)).toBe(verdict)
  })
})

describe('backoffDelay', () => {
  const fixed = (value: number) => ({ random: () => value })

  it('doubles from the base with each attempt', () => {
    expect(backoffDelay(1, undefined, { baseMs: 1000, ...fixed(1) })).toBe(1000)
    expect(backoffDelay(2, undefined, { baseMs: 1000, ...fixed(1) })).toBe(2000)
    expect(backoffDelay(4, undefined, { baseMs: 1000, ...fixed(1) })).toBe(8000)
  })

  it('keeps half of the delay fixed and jitters the other half', () => {
    expect(backoffDelay(3, undefined, { baseMs: 1000, ...fixed(0) })).toBe(2000)
    expect(backoffDelay(3, undefined, { baseMs: 1000, ...fixed(0.5) })).toBe(3000)
  })

  it('stops growing at the cap', () => {
    expect(backoffDelay(40, undefined, { baseMs: 1000, capMs: 60_000, ...fixed(1) })).toBe(60_000)
  })

  it('never goes below the server Retry-After', () => {
    expect(backoffDelay(1, 30, { baseMs: 1000, ...fixed(1) })).toBe(30_000)
    expect(backoffDelay(5, 1, { baseMs: 1000, ...fixed(1) })).toBe(16_000)
  })
})
