import * as Comlink from 'comlink'
import { AppError, registerErrorTransfer } from '../../wasm/shared/errors'
import {
  DB_NAME,
  DEADLINE_DEFAULTS,
  MAX_BYTES_IN_FLIGHT,
  RETRY_DEFAULTS,
  defaultProcessOptions,
} from '../config'
import { inspect, sha256Hex } from '../intake/intake'
import { openStore } from '../store/db'
import {
  claimRun,
  deleteJob,
  finishRun,
  isQuotaError,
  loadJobs,
  loadResult,
  putJob,
  putJobAndOriginal,
  putJobAndResult,
} from '../store/jobs'
import { QuotaGuard } from '../store/quota'
import { WorkerPool } from '../workers/pool'
import { deadlineFor, dispatchOrder, newestFirst, resumeState, shouldAutoRetry } from './policy'
import { failedResult, readyResult, resultBytes } from './results'
import type { ProcessOptions, ProcessResult, Progress } from '../../wasm/api'
import type { ProcessingErrorCode } from '../../wasm/shared/errors'
import type { DeadlinePolicy, RetryPolicy } from '../config'
import type { QuireDatabase, StoredResult } from '../store/db'
import type { StorageLike } from '../store/quota'
import type { Job, JobError, JobResult, Processor } from './job'

export interface ProcessorOptions {
  /** The workspace whose jobs this processor runs; all its data is keyed by it. */
  tenant: string
  /** IndexedDB database name (`quire`); tests and benchmarks pass a fresh one. */
  dbName?: string
  /** Workers at most; defaults to one per core, leaving one for the page. */
  poolSize?: number
  /** Idle workers are terminated after this long (10 s). */
  idleTimeoutMs?: number
  /** Makes one worker; defaults to `wasm/worker.ts` as a module worker. */
  createWorker?: () => Worker
  /** Deadline per job, scaled by input size. */
  deadline?: Partial<DeadlinePolicy>
  retry?: Partial<RetryPolicy>
  /** Overrides of the `web/config.ts` defaults handed to the worker. */
  processOptions?: Partial<ProcessOptions>
  /** Bytes of originals read into the page for running jobs at once. */
  maxBytesInFlight?: number
  /** `navigator.storage` unless given; tests pass a stand-in to simulate a full disk. */
  storage?: StorageLike
}

interface Run {
  controller: AbortController
  done: Promise<void>
  /** Until the worker part ends: claiming, reading the bytes, waiting for and using a worker. */
  computing: boolean
}

type Outcome = { ok: ProcessResult } | { error: unknown }

/**
 * Animation frames stop in a hidden tab, so a timer flushes notifications there instead. It is
 * long enough that in a visible tab, even a busy one, a frame comes first.
 */
const HIDDEN_TAB_FLUSH_MS = 1_000

/**
 * Jobs prepared per worker beyond the one it runs: claimed and read into memory while the
 * worker is busy, so that it starts its next job the moment it hands back a result.
 */
const PREPARED_PER_WORKER = 1

/**
 * Opens the store for one tenant, resumes its unfinished jobs and returns the processor.
 *
 * @example
 * const processor = await createProcessor({ tenant: 'dev' })
 * processor.subscribe((jobs) => render(jobs))
 * await processor.add(input.files ?? [])
 */
export async function createProcessor(options: ProcessorOptions): Promise<Processor> {
  registerErrorTransfer()
  const db = await openStore(options.dbName ?? DB_NAME)
  const processor = new JobProcessor(db, options, options.dbName ?? DB_NAME)
  try {
    await processor.load()
  } catch (error) {
    db.close()
    throw error
  }
  return processor
}

/**
 * The page's processing tier: intake, a persistent queue in IndexedDB, and a worker pool.
 *
 * Every state change happens in memory first, synchronously, then is written; that keeps the
 * dispatcher, cancel and retry from racing each other across `await`s.
 */
class JobProcessor implements Processor {
  #db: QuireDatabase
  #tenant: string
  #pool: WorkerPool
  #quota: QuotaGuard
  #processOptions: ProcessOptions
  #deadline: DeadlinePolicy
  #retry: RetryPolicy
  #maxBytesInFlight: number

  #jobs = new Map<string, Job>()
  /** Files added in this page, read from here rather than from the store. */
  #files = new Map<string, Blob>()
  #runs = new Map<string, Run>()
  /** Jobs this page marked `running` in the store and has not yet recorded an outcome for. */
  #claimed = new Set<string>()
  #passwords = new Map<string, string>()
  #bytesInFlight = 0
  #lastCreatedAt = 0
  #intake: Promise<unknown> = Promise.resolve()
  /** Bumped by `cancelAll` so drops still being taken in stop. */
  #intakeEpoch = 0
  #closed = false

  #listeners = new Set<(jobs: readonly Job[]) => void>()
  #snapshot: readonly Job[] | undefined
  #frame = 0
  #fallback: ReturnType<typeof setTimeout> | undefined

  /** localStorage key naming the jobs a cleanly leaving page cut short. */
  #exitKey: string
  #onPageHide = () => this.#markCleanExit()
  // A page restored from the back/forward cache runs on; its mark no longer holds.
  #onPageShow = (event: PageTransitionEvent) => {
    if (event.persisted) localStorage.removeItem(this.#exitKey)
  }

  constructor(db: QuireDatabase, options: ProcessorOptions, dbName: string) {
    this.#db = db
    this.#tenant = options.tenant
    this.#exitKey = `quire:clean-exit:${dbName}:${options.tenant}`
    this.#pool = new WorkerPool({
      size: options.poolSize,
      idleTimeoutMs: options.idleTimeoutMs,
      createWorker: options.createWorker,
    })
    this.#quota = new QuotaGuard(options.storage ?? navigator.storage)
    this.#processOptions = { ...defaultProcessOptions(), ...options.processOptions }
    this.#deadline = { ...DEADLINE_DEFAULTS, ...options.deadline }
    this.#retry = { ...RETRY_DEFAULTS, ...options.retry }
    this.#maxBytesInFlight = options.maxBytesInFlight ?? MAX_BYTES_IN_FLIGHT
  }

  /** Reads the tenant's jobs and puts unfinished ones back in the queue. */
  async load(): Promise<void> {
    void this.#quota.persist()
    const cleanExit = this.#takeCleanExit()
    for (const job of await loadJobs(this.#db, this.#tenant)) {
      this.#lastCreatedAt = Math.max(this.#lastCreatedAt, job.createdAt)
      const clean = cleanExit.has(exitMark(job))
      const next = resumeState(job, this.#retry, clean)
      if (next === 'unchanged' || (next === 'queued' && job.state === 'queued')) {
        this.#jobs.set(job.id, job)
        continue
      }
      if (next === 'queued') {
        await putJob(this.#db, this.#set(requeued(job, clean)))
        continue
      }
      const runs = job.attempts
      const message = `the page closed or crashed during each of its ${runs} runs`
      const failed = this.#fail(job, { code: 'worker_crashed', message })
      await putJobAndResult(this.#db, failed, failedResult(failed))
    }
    addEventListener('pagehide', this.#onPageHide)
    addEventListener('pageshow', this.#onPageShow)
    this.#pump()
  }

  add(files: Iterable<File>): Promise<Job[]> {
    const list = [...files]
    const added = this.#intake.then(() => this.#addAll(list))
    this.#intake = added.catch(() => undefined)
    return added
  }

  async cancel(id: string): Promise<void> {
    const job = this.#jobs.get(id)
    if (!job) return
    const run = this.#runs.get(id)
    if (run) {
      run.controller.abort()
      return run.done
    }
    if (job.state !== 'queued') return
    await putJob(this.#db, this.#cancelled(job))
  }

  async cancelAll(): Promise<void> {
    // Files of a drop still being taken in are part of the batch too: they never enter.
    this.#intakeEpoch++
    const ids = [...this.#jobs.values()]
      .filter((job) => job.state === 'queued' || job.state === 'running')
      .map((job) => job.id)
    await Promise.all(ids.map((id) => this.cancel(id)))
  }

  async retry(id: string, password?: string): Promise<void> {
    const job = this.#jobs.get(id)
    if (!job || (job.state !== 'failed' && job.state !== 'cancelled')) return
    // Files refused at intake have no stored original, and would be refused again.
    if (!this.#files.has(id) && (await this.#db.getKey('originals', id)) === undefined) return
    if (password !== undefined) this.#passwords.set(id, password)
    else this.#passwords.delete(id)
    const { error: _, progress: __, ...rest } = job
    const queued = this.#set({ ...rest, state: 'queued', attempts: 0, updatedAt: Date.now() })
    await putJobAndResult(this.#db, queued, undefined)
    this.#pump()
  }

  async remove(id: string): Promise<void> {
    // Ids name their tenant; another tenant's id is never this processor's to delete.
    const rest = id.startsWith(`${this.#tenant}:`) ? id.slice(this.#tenant.length + 1) : ':'
    if (rest.includes(':')) return
    const run = this.#runs.get(id)
    if (run) {
      run.controller.abort()
      await run.done
    }
    this.#jobs.delete(id)
    this.#claimed.delete(id)
    this.#files.delete(id)
    this.#passwords.delete(id)
    this.#changed()
    await deleteJob(this.#db, id)
  }

  subscribe(listener: (jobs: readonly Job[]) => void): () => void {
    this.#listeners.add(listener)
    listener(this.#list())
    return () => this.#listeners.delete(listener)
  }

  async result(id: string): Promise<JobResult | undefined> {
    const stored = await loadResult(this.#db, id)
    if (!stored || stored.tenant !== this.#tenant) return undefined
    const { id: _, tenant: __, ...result } = stored
    return result
  }

  async thumbnail(id: string): Promise<Blob | undefined> {
    const stored = await this.#db.get('thumbnails', id)
    return stored?.tenant === this.#tenant ? stored.blob : undefined
  }

  async original(id: string): Promise<Blob | undefined> {
    const file = this.#files.get(id)
    if (file) return file
    const stored = await this.#db.get('originals', id)
    return stored?.tenant === this.#tenant ? stored.file : undefined
  }

  /**
   * Stops every worker and closes the store. Jobs cut short go back in the queue, their run not
   * counted, and the next processor on this database resumes them.
   */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    removeEventListener('pagehide', this.#onPageHide)
    removeEventListener('pageshow', this.#onPageShow)
    const runs = [...this.#runs.values()]
    for (const run of runs) run.controller.abort()
    await Promise.all(runs.map((run) => run.done))
    await this.#intake
    const cut = this.#ownRunning()
    await Promise.all(cut.map((job) => putJob(this.#db, requeued(job, true))))
    this.#pool.close()
    cancelAnimationFrame(this.#frame)
    clearTimeout(this.#fallback)
    this.#listeners.clear()
    this.#db.close()
  }

  /**
   * On `pagehide` (reload, navigation, closed tab) there is no time for IndexedDB, so the jobs
   * being cut short are named in localStorage, which writes synchronously. The next load finds
   * them there and does not count the run. A page that crashes never gets here, so its runs count.
   */
  #markCleanExit(): void {
    const running = this.#ownRunning()
    try {
      if (running.length === 0) localStorage.removeItem(this.#exitKey)
      else localStorage.setItem(this.#exitKey, JSON.stringify(running.map(exitMark)))
    } catch {
      // Without storage the runs count, which errs towards failing rather than looping.
    }
  }

  /**
   * Jobs this page claimed and has not settled, on a worker or prepared for one; one another
   * page runs is not ours to touch.
   */
  #ownRunning(): Job[] {
    return [...this.#claimed].flatMap((id) => {
      const job = this.#jobs.get(id)
      return job?.state === 'running' || job?.state === 'queued' ? [job] : []
    })
  }

  #takeCleanExit(): Set<string> {
    try {
      const marks: unknown = JSON.parse(localStorage.getItem(this.#exitKey) ?? '[]')
      localStorage.removeItem(this.#exitKey)
      return new Set(Array.isArray(marks) ? marks.filter((m) => typeof m === 'string') : [])
    } catch {
      return new Set()
    }
  }

  // Intake ---------------------------------------------------------------------------------

  async #addAll(files: File[]): Promise<Job[]> {
    const jobs: Job[] = []
    const epoch = this.#intakeEpoch
    for (const file of files) {
      if (this.#closed || epoch !== this.#intakeEpoch) break
      try {
        jobs.push(await this.#addOne(file, epoch))
      } catch (error) {
        // A file deleted or changed on disk since the drop cannot be read, so it has no hash
        // to be named by; the rest of the drop goes on without it.
        if (!isUnreadable(error)) throw error
        console.warn(`JobProcessor:${this.#tenant}`, `skipped unreadable ${file.name}`, error)
      }
      this.#pump()
    }
    return jobs
  }

  /**
   * Sniffs, checks and hashes one file, then stores it as a job. One file is hashed at a time,
   * so intake holds at most one file's bytes whatever the size of the drop.
   */
  async #addOne(file: File, epoch: number): Promise<Job> {
    const { maxBytes, maxPixels } = this.#processOptions
    const { sniffed, error } = await inspect(file, { maxBytes, maxPixels })
    const sha256 = await sha256Hex(file, maxBytes)
    const id = `${this.#tenant}:${sha256}`

    // `cancelAll` may have run while this file was read; then it joins the batch as cancelled.
    const batchCancelled = () => epoch !== this.#intakeEpoch
    const existing = this.#jobs.get(id)
    if (existing && (existing.state !== 'cancelled' || batchCancelled())) return existing
    if (existing) {
      this.#files.set(id, file)
      const { error: _, ...rest } = existing
      const queued = this.#set({ ...rest, state: 'queued', attempts: 0, updatedAt: Date.now() })
      await putJobAndOriginal(this.#db, queued, file)
      return queued
    }

    const createdAt = this.#nextCreatedAt()
    const job: Job = {
      id,
      tenant: this.#tenant,
      sha256,
      name: file.name || 'untitled',
      bytes: file.size,
      type: sniffed.type,
      mime: sniffed.mime,
      kind: sniffed.kind,
      state: 'queued',
      attempts: 0,
      createdAt,
      updatedAt: createdAt,
    }
    if (error) return this.#record(this.#fail(job, error))
    if (!(await this.#quota.fits(file.size))) {
      return this.#record(this.#fail(job, quotaError(file.size)))
    }
    // In memory first: a worker freed while the write is pending may already start the job.
    const entering = batchCancelled() ? this.#cancelledJob(job) : job
    this.#files.set(id, file)
    this.#set(entering)
    try {
      await putJobAndOriginal(this.#db, entering, file)
      this.#quota.wrote(file.size)
      return this.#jobs.get(id) ?? entering
    } catch (cause) {
      this.#files.delete(id)
      if (!isQuotaError(cause)) throw cause
      return this.#record(this.#fail(job, quotaError(file.size)))
    }
  }

  /** Writes a job failed at intake with its failed result; kept in memory if even that fails. */
  async #record(job: Job): Promise<Job> {
    try {
      await putJobAndResult(this.#db, job, failedResult(job))
    } catch (cause) {
      if (!isQuotaError(cause)) throw cause
    }
    return job
  }

  // Dispatch -------------------------------------------------------------------------------

  /** Starts queued jobs, oldest first, while workers and the byte budget allow. */
  #pump(): void {
    if (this.#closed) return
    const queued = [...this.#jobs.values()].filter(
      (job) => job.state === 'queued' && !this.#runs.has(job.id),
    )
    const limit = this.#pool.size * (1 + PREPARED_PER_WORKER)
    let computing = [...this.#runs.values()].filter((run) => run.computing).length
    for (const job of queued.sort(dispatchOrder)) {
      if (computing >= limit) return
      const overBudget = this.#bytesInFlight + job.bytes > this.#maxBytesInFlight
      if (this.#runs.size > 0 && overBudget) return
      this.#start(job)
      computing += 1
    }
  }

  #start(queued: Job): void {
    const controller = new AbortController()
    // The store marks the run `running` now; the page shows it so once a worker takes it.
    const job: Job = { ...queued, state: 'running', attempts: queued.attempts + 1 }
    this.#set({ ...queued, attempts: job.attempts })
    this.#bytesInFlight += job.bytes
    const run: Run = { controller, done: Promise.resolve(), computing: true }
    this.#runs.set(job.id, run)
    // Recording the outcome in the store overlaps the worker's next job.
    const computed = () => {
      run.computing = false
      this.#pump()
    }
    run.done = this.#execute(job, controller.signal, computed)
      .catch((error: unknown) => console.error(`JobProcessor:${this.#tenant}`, job.id, error))
      .finally(() => {
        this.#runs.delete(job.id)
        this.#bytesInFlight -= job.bytes
        computed()
      })
  }

  async #execute(job: Job, signal: AbortSignal, computed: () => void): Promise<void> {
    const other = await claimRun(this.#db, { ...job, updatedAt: Date.now() })
    if (other !== null) {
      // Another page ran or removed it meanwhile; show what the store says.
      if (other) this.#set(other)
      else if (this.#jobs.delete(job.id)) this.#changed()
      return
    }
    this.#claimed.add(job.id)
    let outcome: Outcome
    try {
      outcome = { ok: await this.#process(job, signal) }
    } catch (error) {
      outcome = { error }
    }
    computed()
    // A closing processor records no outcome: `close()` puts the job back in the queue.
    if (this.#closed) return
    if (this.#jobs.get(job.id)?.attempts !== job.attempts) return
    try {
      await this.#settle(job, outcome)
    } catch (error) {
      if (!this.#closed) throw error
    }
  }

  async #process(job: Job, signal: AbortSignal): Promise<ProcessResult> {
    const file = this.#files.get(job.id) ?? (await this.#db.get('originals', job.id))?.file
    if (!file) {
      throw new AppError('corrupt', 'the original file is no longer stored; add it again')
    }
    signal.throwIfAborted()
    const bytes = await file.arrayBuffer()
    const password = this.#passwords.get(job.id)
    const options =
      password === undefined ? this.#processOptions : { ...this.#processOptions, password }
    const onProgress = Comlink.proxy((progress: Progress) => this.#progress(job.id, progress))
    // `bytes` moves to the worker and is unusable here afterwards.
    return this.#pool.run<ProcessResult>(
      (api) => {
        if (this.#jobs.get(job.id)?.attempts === job.attempts) this.#set(job)
        return api.process(Comlink.transfer(bytes, [bytes]), options, onProgress)
      },
      { deadlineMs: deadlineFor(job.bytes, this.#deadline), signal },
    )
  }

  #progress(id: string, progress: Progress): void {
    const job = this.#jobs.get(id)
    if (job?.state === 'running') this.#set({ ...job, progress })
  }

  /** Records how one run ended: done, failed, cancelled, or back in the queue for a retry. */
  async #settle(job: Job, outcome: Outcome): Promise<void> {
    const { progress: _, error: __, ...base } = job
    let next: Job
    let result: StoredResult | undefined
    if ('ok' in outcome) {
      next = { ...base, state: 'done', updatedAt: Date.now() }
      result = readyResult(next, outcome.ok)
    } else {
      const error = toJobError(outcome.error)
      if (error.code === 'cancelled') next = this.#cancelledJob(job)
      else if (shouldAutoRetry(error.code, job.attempts, this.#retry)) {
        next = { ...base, state: 'queued', updatedAt: Date.now() }
      } else {
        next = { ...base, state: 'failed', error, updatedAt: Date.now() }
        result = failedResult(next)
      }
    }

    this.#claimed.delete(job.id)
    try {
      if (await finishRun(this.#db, next, result)) {
        this.#set(next)
        if (result) this.#quota.wrote(resultBytes(result))
      } else {
        // Another page took this job over; its record is the one that counts.
        const stored = await this.#db.get('jobs', job.id)
        if (stored) this.#set(stored)
        else this.#jobs.delete(job.id)
      }
    } catch (cause) {
      if (!isQuotaError(cause)) throw cause
      const failed = this.#fail(job, quotaError(result ? resultBytes(result) : 0))
      await this.#record(failed)
    }
    if (next.state === 'done' || next.state === 'failed') {
      // The store keeps the original; letting go of the page's reference frees in-memory Blobs.
      this.#files.delete(job.id)
      this.#passwords.delete(job.id)
    }
  }

  // State ----------------------------------------------------------------------------------

  /** Replaces a job in memory (never mutating the old object) and schedules a notification. */
  #set(job: Job): Job {
    this.#jobs.set(job.id, job)
    this.#changed()
    return job
  }

  #fail(job: Job, error: JobError): Job {
    const { progress: _, ...rest } = job
    return this.#set({ ...rest, state: 'failed', error, updatedAt: Date.now() })
  }

  #cancelledJob(job: Job): Job {
    const { progress: _, ...rest } = job
    const error: JobError = { code: 'cancelled', message: 'cancelled' }
    return { ...rest, state: 'cancelled', error, updatedAt: Date.now() }
  }

  #cancelled(job: Job): Job {
    return this.#set(this.#cancelledJob(job))
  }

  /** Creation times are unique within a processor so newest-first order is stable. */
  #nextCreatedAt(): number {
    this.#lastCreatedAt = Math.max(Date.now(), this.#lastCreatedAt + 1)
    return this.#lastCreatedAt
  }

  #list(): readonly Job[] {
    this.#snapshot ??= [...this.#jobs.values()].sort(newestFirst)
    return this.#snapshot
  }

  /**
   * Notifies listeners at most once per animation frame, so a 1,000-file drop costs the UI
   * one render per frame.
   */
  #changed(): void {
    this.#snapshot = undefined
    if (this.#closed || this.#fallback !== undefined) return
    const flush = () => {
      cancelAnimationFrame(this.#frame)
      clearTimeout(this.#fallback)
      this.#fallback = undefined
      const jobs = this.#list()
      for (const listener of this.#listeners) listener(jobs)
    }
    this.#frame = requestAnimationFrame(flush)
    this.#fallback = setTimeout(flush, HIDDEN_TAB_FLUSH_MS)
  }
}

/** A job cut short, back in the queue; `uncount` takes back the run that did not finish. */
function requeued(job: Job, uncount: boolean): Job {
  const { progress: _, ...rest } = job
  const attempts = uncount ? Math.max(0, job.attempts - 1) : job.attempts
  return { ...rest, state: 'queued', attempts, updatedAt: Date.now() }
}

function exitMark(job: Job): string {
  return `${job.id}#${job.attempts}`
}

function isUnreadable(error: unknown): boolean {
  return (
    error instanceof DOMException &&
    (error.name === 'NotReadableError' || error.name === 'NotFoundError')
  )
}

function toJobError(error: unknown): JobError {
  if (error instanceof AppError) return { code: error.code, message: error.message }
  if (error instanceof DOMException && error.name === 'AbortError') {
    return { code: 'cancelled', message: 'cancelled' }
  }
  const code: ProcessingErrorCode = 'corrupt'
  const reason = error instanceof Error ? error.message : String(error)
  return { code, message: `the file could not be read: ${reason}` }
}

function quotaError(bytes: number): JobError {
  const mib = (bytes / (1024 * 1024)).toFixed(1)
  return {
    code: 'quota_exceeded',
    message: `storage is full: ${mib} MiB more does not fit; remove documents to free space`,
  }
}
