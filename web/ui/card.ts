import { errorText, isRetryable, needsPassword } from '../errors'
import { formatBytes, formatType, h } from './dom'
import type { Job } from '../jobs/job'
import type { Stage } from '../../wasm/api'

const STAGE_TEXT: Record<Stage, string> = {
  decode: 'Decoding',
  orient: 'Orienting',
  resize: 'Resizing',
  encode: 'Encoding',
  open: 'Opening',
  render: 'Rendering',
  text: 'Reading text',
}

export type CardAction = 'open' | 'retry' | 'cancel' | 'remove' | 'select'

/** One document in the grid. Built once per visible job and updated in place, keeping focus. */
export class Card {
  readonly element: HTMLElement
  job: Job
  readonly #open: HTMLButtonElement
  readonly #thumbBox: HTMLElement
  readonly #meta: HTMLElement
  readonly #progress: HTMLProgressElement
  readonly #stage: HTMLElement
  readonly #progressRow: HTMLElement
  readonly #error: HTMLElement
  readonly #select: HTMLInputElement
  readonly #selectLabel: HTMLElement
  readonly #retry: HTMLButtonElement
  readonly #cancel: HTMLButtonElement
  readonly #img: HTMLImageElement
  #thumbUrl: string | undefined

  constructor(job: Job, onAction: (action: CardAction, card: Card) => void) {
    this.job = job
    const id = `card-${job.sha256.slice(0, 16)}`
    const act = (action: CardAction) => () => onAction(action, this)
    this.#img = h('img', { 'data-testid': 'thumbnail', alt: '', decoding: 'async' })
    this.#thumbBox = h('span', { class: 'thumb' })
    this.#open = h(
      'button',
      {
        type: 'button',
        class: 'card-open',
        'aria-describedby': `${id}-meta`,
        onclick: act('open'),
      },
      this.#thumbBox,
      h('span', { class: 'card-name', id: `${id}-name` }, job.name),
    )
    this.#meta = h('p', { class: 'card-meta', id: `${id}-meta` })
    this.#progress = h('progress', { max: 1, 'aria-labelledby': `${id}-name` })
    this.#stage = h('span', { class: 'stage' })
    this.#progressRow = h('div', { class: 'card-progress' }, this.#progress, this.#stage)
    this.#error = h('p', { class: 'card-error' })
    this.#select = h('input', { type: 'checkbox', class: 'card-select', onchange: act('select') })
    this.#selectLabel = h('label', { class: 'select-label' }, this.#select, h('span', {}, 'Select'))
    this.#retry = h('button', { type: 'button', onclick: act('retry') }, 'Retry')
    this.#cancel = h('button', { type: 'button', onclick: act('cancel') }, 'Cancel')
    const remove = h(
      'button',
      {
        type: 'button',
        class: 'danger',
        title: 'Delete from this workspace, in this browser and on the server',
        onclick: act('remove'),
      },
      'Remove',
    )
    remove.setAttribute('aria-label', `Remove ${job.name}`)
    this.element = h(
      'article',
      { class: 'card', role: 'listitem', 'data-testid': 'card', 'aria-labelledby': `${id}-name` },
      this.#open,
      this.#meta,
      this.#progressRow,
      this.#error,
      h('div', { class: 'card-actions' }, this.#selectLabel, this.#retry, this.#cancel, remove),
    )
    this.update(job, false)
  }

  get selected(): boolean {
    return this.#select.checked
  }

  update(job: Job, selected: boolean): void {
    this.job = job
    const el = this.element
    el.dataset.state = job.state
    el.dataset.sha256 = job.sha256
    el.dataset.id = job.id
    this.#open.setAttribute('aria-label', `Open ${job.name}`)
    this.#meta.textContent = `${formatBytes(job.bytes)} · ${formatType(job.type)}`

    const active = job.state === 'queued' || job.state === 'running'
    this.#progressRow.hidden = !active
    if (active) {
      this.#progress.value = job.progress?.fraction ?? 0
      this.#stage.textContent =
        job.state === 'queued'
          ? 'Waiting'
          : job.progress
            ? STAGE_TEXT[job.progress.stage]
            : 'Starting'
    }
    this.#cancel.hidden = !active
    this.#cancel.setAttribute('aria-label', `Cancel ${job.name}`)

    const code = job.error?.code ?? (job.state === 'cancelled' ? 'cancelled' : undefined)
    const failed = job.state === 'failed' || job.state === 'cancelled'
    this.#error.hidden = !failed || !code
    if (failed && code) {
      this.#error.replaceChildren(
        h('code', { class: 'code' }, code),
        h('span', { class: 'error-message' }, errorText(code, job.error?.message)),
      )
      this.#error.title = job.error?.message ?? ''
    }
    this.#retry.hidden = !failed || !code || !isRetryable(code)
    // "Unlock" fits beside Remove on a narrow card; the accessible name says what it asks for.
    const locked = !!code && needsPassword(code)
    this.#retry.textContent = locked ? 'Unlock' : 'Retry'
    this.#retry.setAttribute(
      'aria-label',
      locked ? `Enter password for ${job.name}` : `Retry ${job.name}`,
    )

    this.#selectLabel.hidden = job.state !== 'done' || job.kind !== 'image'
    this.#select.checked = selected
    this.#select.setAttribute('aria-label', `Select ${job.name}`)
    if (job.state !== 'done') this.setThumbnail(undefined)
    this.#renderThumb()
  }

  setThumbnail(url: string | undefined): void {
    if (url === this.#thumbUrl) return
    this.#thumbUrl = url
    this.#renderThumb()
  }

  focus(): void {
    this.#open.focus()
  }

  #renderThumb(): void {
    if (this.#thumbUrl) {
      if (this.#img.getAttribute('src') !== this.#thumbUrl) this.#img.src = this.#thumbUrl
      if (this.#img.parentNode !== this.#thumbBox) this.#thumbBox.replaceChildren(this.#img)
    } else {
      const label = this.job.kind === 'pdf' ? 'PDF' : formatType(this.job.type)
      this.#thumbBox.replaceChildren(
        h('span', { class: 'thumb-placeholder', 'aria-hidden': 'true' }, label),
      )
    }
  }
}
