import type { ProcessingErrorCode } from '../../wasm/shared/errors'
import type { DeadlinePolicy, RetryPolicy } from '../config'
import type { Job } from './job'

const MiB = 1024 * 1024

/** Milliseconds a job of `bytes` may run before its worker is terminated. */
export function deadlineFor(bytes: number, policy: DeadlinePolicy): number {
  const scaled = policy.baseMs + (Math.max(0, bytes) / MiB) * policy.msPerMiB
  return Math.round(Math.min(policy.maxMs, scaled))
}

/** Codes that say something went wrong around the file rather than with it. */
const TRANSIENT: ReadonlySet<ProcessingErrorCode> = new Set(['timeout', 'worker_crashed'])

/**
 * Whether a job that just failed with `code` after `attempts` runs goes back in the queue on its
 * own. Only transient failures do, and only within both bounds.
 */
export function shouldAutoRetry(
  code: ProcessingErrorCode,
  attempts: number,
  policy: RetryPolicy,
): boolean {
  return TRANSIENT.has(code) && attempts <= policy.autoRetries && attempts < policy.maxAttempts
}

/**
 * What happens on load to a job the last page left unfinished. A `running` job was cut short.
 * When the page went away cleanly (a reload, a closed tab: `cleanExit`), the job simply goes
 * back in the queue. Otherwise the page died mid-job, that run counts, and once the runs are
 * used up the job fails as `worker_crashed`: the likeliest reason a page keeps dying mid-job is
 * that job.
 */
export function resumeState(
  job: Pick<Job, 'state' | 'attempts'>,
  policy: RetryPolicy,
  cleanExit = false,
): 'queued' | 'failed' | 'unchanged' {
  if (job.state === 'queued') return 'queued'
  if (job.state !== 'running') return 'unchanged'
  if (cleanExit) return 'queued'
  return job.attempts < policy.maxAttempts ? 'queued' : 'failed'
}

/** Newest first; `createdAt` is unique within a processor, the id breaks any remaining tie. */
export function newestFirst(a: Job, b: Job): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)
}

/** Oldest first: the order in which queued jobs are dispatched. */
export function dispatchOrder(a: Job, b: Job): number {
  return -newestFirst(a, b)
}
