import { IDLE_TIMEOUT_MS, defaultPoolSize } from '../config'
import { call, connect, deferred, terminate } from './bridge'
import type { Remote } from 'comlink'
import type { WorkerApi } from '../../wasm/api'
import type { Bridge, CallOptions } from './bridge'

export interface PoolOptions {
  /** Most workers alive at once; defaults to one per core, leaving one for the page. */
  size?: number
  /** A worker with nothing to do is terminated after this long. */
  idleTimeoutMs?: number
  /** Makes one worker; tests pass workers that hang, throw or run out of memory. */
  createWorker?: () => Worker
}

export function defaultWorker(): Worker {
  return new Worker(new URL('../../wasm/worker.ts', import.meta.url), { type: 'module' })
}

interface Slot {
  bridge: Bridge
  busy: boolean
  idleTimer?: ReturnType<typeof setTimeout>
}

/**
 * A bounded set of workers, one job each at a time. Workers start on first need, stay warm
 * between jobs (so their WASM modules stay compiled), and are terminated after an idle spell.
 * A worker that times out, crashes or is cancelled is dropped and the next job gets a fresh one.
 *
 * @example
 * const pool = new WorkerPool({ size: 2 })
 * const result = await pool.run((api) => api.process(transfer(bytes), options), {
 *   deadlineMs: 30_000,
 *   signal,
 * })
 */
export class WorkerPool {
  readonly size: number
  #idleTimeoutMs: number
  #createWorker: () => Worker
  #slots = new Set<Slot>()
  #waiting: Array<(slot: Slot) => void> = []
  #closed = false
  /** How many workers this pool has started, for tests and diagnostics. */
  started = 0

  constructor(options: PoolOptions = {}) {
    this.size = Math.max(1, Math.floor(options.size ?? defaultPoolSize()))
    this.#idleTimeoutMs = options.idleTimeoutMs ?? IDLE_TIMEOUT_MS
    this.#createWorker = options.createWorker ?? defaultWorker
  }

  /** Workers alive now, busy or idle. */
  get alive(): number {
    return this.#slots.size
  }

  /**
   * Runs `task` on the next free worker, waiting for one if all are busy. See `call` in
   * `bridge.ts` for how the returned promise settles.
   */
  async run<T>(task: (api: Remote<WorkerApi>) => Promise<T>, options: CallOptions) {
    const slot = await this.#acquire(options.signal)
    try {
      return await call(slot.bridge, task, options)
    } finally {
      this.#release(slot)
    }
  }

  /** Terminates every worker; jobs running on them fail, waiting ones never start. */
  close(): void {
    this.#closed = true
    for (const slot of this.#slots) {
      clearTimeout(slot.idleTimer)
      terminate(slot.bridge)
    }
    this.#slots.clear()
  }

  #acquire(signal?: AbortSignal): Promise<Slot> {
    if (this.#closed) return Promise.reject(new DOMException('the pool is closed', 'AbortError'))
    if (signal?.aborted) return Promise.reject(new DOMException('cancelled', 'AbortError'))
    for (const slot of this.#slots) {
      if (slot.busy) continue
      if (!slot.bridge.dead) return Promise.resolve(this.#take(slot))
      // Died while idle: make room for a fresh one.
      clearTimeout(slot.idleTimer)
      this.#slots.delete(slot)
    }
    if (this.#slots.size < this.size) return Promise.resolve(this.#take(this.#spawn()))

    const { promise, resolve, reject } = deferred<Slot>()
    const waiter = (slot: Slot) => {
      signal?.removeEventListener('abort', onAbort)
      resolve(this.#take(slot))
    }
    const onAbort = () => {
      this.#waiting = this.#waiting.filter((w) => w !== waiter)
      reject(new DOMException('cancelled', 'AbortError'))
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    this.#waiting.push(waiter)
    return promise
  }

  #take(slot: Slot): Slot {
    clearTimeout(slot.idleTimer)
    slot.busy = true
    return slot
  }

  #spawn(): Slot {
    this.started++
    const slot: Slot = { bridge: connect(this.#createWorker()), busy: false }
    this.#slots.add(slot)
    return slot
  }

  #release(slot: Slot): void {
    slot.busy = false
    if (slot.bridge.dead) this.#slots.delete(slot)
    if (this.#closed) return
    const next = this.#waiting.shift()
    if (next) {
      next(slot.bridge.dead ? this.#spawn() : slot)
      return
    }
    if (slot.bridge.dead) return
    slot.idleTimer = setTimeout(() => {
      this.#slots.delete(slot)
      terminate(slot.bridge)
    }, this.#idleTimeoutMs)
  }
}
