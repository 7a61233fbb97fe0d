import { h } from './dom'
import type { Job } from '../jobs/job'

/**
 * The overall line for the current batch: how many are done, failed and still going, with one
 * progress bar. A batch is every file added since the queue was last idle.
 */
export class BatchProgress {
  readonly element: HTMLElement
  readonly #bar: HTMLProgressElement
  readonly #text: HTMLElement
  readonly #cancel: HTMLButtonElement
  readonly #announce: (text: string) => void
  /** Jobs created at or after this time belong to the batch shown. */
  #since = Infinity
  #wasActive = false
  /** Files of this batch's drops that the workspace already held (same content). */
  #known = 0
  #jobs: readonly Job[] = []

  constructor(announce: (text: string) => void, onCancelAll: () => void) {
    this.#announce = announce
    this.#bar = h('progress', { max: 1, value: 0, 'aria-label': 'Batch progress' })
    this.#text = h('span', { class: 'batch-text' })
    this.#cancel = h('button', { type: 'button', onclick: onCancelAll }, 'Cancel all')
    this.element = h(
      'div',
      { class: 'batch', 'data-testid': 'batch-progress', hidden: true },
      this.#bar,
      this.#text,
      this.#cancel,
    )
  }

  /** Files are being added: unless a batch is running, a new one starts now. */
  begin(at = Date.now()): void {
    if (this.#wasActive) return
    this.#since = at
    this.#known = 0
  }

  /** Some dropped files were already in the workspace: nothing new is made for them. */
  alreadyHere(count: number): void {
    this.#known += count
    const files = count === 1 ? 'file was' : 'files were'
    this.#announce(`${count} ${files} already in this workspace.`)
    this.update(this.#jobs)
  }

  update(jobs: readonly Job[]): void {
    this.#jobs = jobs
    const active = jobs.filter((job) => job.state === 'queued' || job.state === 'running')
    // After a reload mid-batch, the batch is what is still unfinished and what came with it.
    if (active.length && !this.#wasActive) {
      this.#since = Math.min(this.#since, ...active.map((job) => job.createdAt))
    }
    const inBatch = jobs.filter((job) => job.createdAt >= this.#since)
    const known = this.#known ? `${this.#known} already in this workspace` : ''
    if (inBatch.length === 0) {
      this.#text.textContent = known
      this.#bar.hidden = this.#cancel.hidden = true
      this.element.hidden = !known
      return
    }
    this.#bar.hidden = false
    const count = (state: Job['state']) => inBatch.filter((job) => job.state === state).length
    const done = count('done')
    const failed = count('failed') + count('cancelled')
    const progress = inBatch.reduce(
      (sum, job) =>
        sum +
        (job.state === 'running' ? (job.progress?.fraction ?? 0) : job.state === 'queued' ? 0 : 1),
      0,
    )
    this.#bar.value = progress / inBatch.length
    const parts = [`${done} of ${inBatch.length} done`]
    if (failed) parts.push(`${failed} failed`)
    if (active.length) parts.push(`${active.length} in progress`)
    if (known) parts.push(known)
    this.#text.textContent = parts.join(' · ')
    this.element.hidden = false
    this.element.dataset.active = String(active.length > 0)
    this.#cancel.hidden = active.length === 0
    if (this.#wasActive && active.length === 0) {
      this.#announce(`Batch finished: ${done} done${failed ? `, ${failed} failed` : ''}.`)
    }
    this.#wasActive = active.length > 0
  }
}
