import { describe, expect, it } from 'vitest'
import {
  deadlineFor,
  dispatchOrder,
  newestFirst,
  resumeState,
  shouldAutoRetry,
} from '../../../web/jobs/policy'
import type { Job } from '../../../web/jobs/job'

const MiB = 1024 * 1024
const policy = { autoRetries: 1, maxAttempts: 3 }

describe('deadlineFor', () => {
  it.each([
    [0, 20_000],
    [MiB, 22_000],
    [10 * MiB, 40_000],
    [10_000 * MiB, 300_000],
  ])('gives %i bytes %i ms', (bytes, ms) => {
    expect(deadlineFor(bytes, { baseMs: 20_000, msPerMiB: 2_000, maxMs: 300_000 })).toBe(ms)
  })
})

describe('shouldAutoRetry', () => {
  it.each([
    ['timeout', 1, true],
    ['worker_crashed', 1, true],
    ['timeout', 2, false],
    ['worker_crashed', 3, false],
    ['corrupt', 1, false],
    ['cancelled', 1, false],
    ['encrypted', 1, false],
    ['quota_exceeded', 1, false],
  ] as const)('retries %s after %i runs: %s', (code, attempts, expected) => {
    expect(shouldAutoRetry(code, attempts, policy)).toBe(expected)
  })

  it('never retries when automatic retries are off', () => {
    expect(shouldAutoRetry('timeout', 1, { autoRetries: 0, maxAttempts: 3 })).toBe(false)
  })
})

describe('resumeState', () => {
  it.each([
    ['queued', 0, 'queued'],
    ['running', 1, 'queued'],
    ['running', 2, 'queued'],
    ['running', 3, 'failed'],
    ['done', 1, 'unchanged'],
    ['failed', 1, 'unchanged'],
    ['cancelled', 0, 'unchanged'],
  ] as const)('turns a %s job with %i runs into %s', (state, attempts, expected) => {
    expect(resumeState({ state, attempts }, policy)).toBe(expected)
  })

  it('re-queues a job cut short by a clean exit whatever its runs', () => {
    expect(resumeState({ state: 'running', attempts: 3 }, policy, true)).toBe('queued')
    expect(resumeState({ state: 'done', attempts: 3 }, policy, true)).toBe('unchanged')
  })
})

describe('ordering', () => {
  const job = (id: string, createdAt: number) => ({ id, createdAt }) as Job

  it('lists newest first and dispatches oldest first', () => {
    const jobs = [job('t:b', 2), job('t:a', 1), job('t:c', 3)]

    expect([...jobs].sort(newestFirst).map((j) => j.id)).toEqual(['t:c', 't:b', 't:a'])
    expect([...jobs].sort(dispatchOrder).map((j) => j.id)).toEqual(['t:a', 't:b', 't:c'])
  })
})
