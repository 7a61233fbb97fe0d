import * as Comlink from 'comlink'
import { AppError } from '../../wasm/shared/errors'
import type { WorkerApi } from '../../wasm/api'

/** A worker and its Comlink proxy, as the pool holds them. */
export interface Bridge {
  worker: Worker
  api: Comlink.Remote<WorkerApi>
  /** Set once the worker is terminated; a dead bridge is never used again. */
  dead: boolean
}

export function connect(worker: Worker): Bridge {
  const bridge: Bridge = { worker, api: Comlink.wrap<WorkerApi>(worker), dead: false }
  // An error between jobs (a stray timer, a failed lazy import) leaves a worker nobody should
  // trust with the next job. During a call, `call` handles the event and fails that job.
  worker.addEventListener('error', (event) => {
    event.preventDefault()
    terminate(bridge)
  })
  return bridge
}

export function terminate(bridge: Bridge): void {
  if (bridge.dead) return
  bridge.dead = true
  bridge.worker.terminate()
}

export interface CallOptions {
  /** Past this many milliseconds the worker is terminated and the call fails `timeout`. */
  deadlineMs: number
  signal?: AbortSignal
}

/**
 * Runs one call on a worker and settles exactly once, whatever the worker does:
 *
 * - resolves with the call's value;
 * - rejects with the worker's `AppError` (the worker is healthy and stays);
 * - rejects with `AppError('timeout')` past the deadline, terminating the worker;
 * - rejects with `AppError('worker_crashed')` when the worker fires `error` or `messageerror`,
 *   or throws anything that is not an `AppError` (a WASM trap, a failed allocation, a bug), after
 *   which its module state cannot be trusted, so it is terminated too;
 * - rejects with an `AbortError` `DOMException` when `signal` fires, terminating the worker.
 *
 * After any rejection other than a worker's `AppError`, `bridge.dead` is true.
 */
export function call<T>(
  bridge: Bridge,
  run: (api: Comlink.Remote<WorkerApi>) => Promise<T>,
  { deadlineMs, signal }: CallOptions,
): Promise<T> {
  if (signal?.aborted) return Promise.reject(abortError())
  const { promise, resolve, reject } = deferred<T>()
  let settled = false

  const finish = (settle: () => void, kill: boolean) => {
    if (settled) return
    settled = true
    clearTimeout(timer)
    signal?.removeEventListener('abort', onAbort)
    bridge.worker.removeEventListener('error', onError)
    bridge.worker.removeEventListener('messageerror', onMessageError)
    if (kill) terminate(bridge)
    settle()
  }
  const crash = (message: string, cause?: unknown) => {
    finish(() => reject(new AppError('worker_crashed', message, { cause })), true)
  }

  const onAbort = () => finish(() => reject(abortError()), true)
  const onError = (event: ErrorEvent) => {
    // Without this the browser also reports the worker's uncaught error as the page's own.
    event.preventDefault()
    crash(`the worker failed: ${event.message || 'it could not load or stopped'}`)
  }
  const onMessageError = () => crash('the worker sent a message the page could not read')
  const timer = setTimeout(() => {
    const message = `the job ran past its ${Math.round(deadlineMs / 1000)} s deadline`
    finish(() => reject(new AppError('timeout', message)), true)
  }, deadlineMs)

  signal?.addEventListener('abort', onAbort, { once: true })
  bridge.worker.addEventListener('error', onError)
  bridge.worker.addEventListener('messageerror', onMessageError)

  run(bridge.api).then(
    (value) => finish(() => resolve(value), false),
    (error: unknown) => {
      if (error instanceof AppError) finish(() => reject(error), false)
      else crash(`the worker threw ${describe(error)}`, error)
    },
  )
  return promise
}

function abortError(): DOMException {
  return new DOMException('the job was cancelled', 'AbortError')
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`
  return String(error)
}

/** `Promise.withResolvers`, which our ES2023 library types do not declare yet. */
export function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (reason: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}
