import { Card } from './card'
import { h } from './dom'
import type { CardAction } from './card'
import type { Thumbnails } from './thumbnails'
import type { Job } from '../jobs/job'

const MIN_WIDTH = 150
const ROW_HEIGHT = 298
const GAP = 12
/** Rows rendered above and below the viewport, so a fling does not show blanks. */
const OVERSCAN = 2
/** Thumbnails load once scrolling has paused this long. */
const SCROLL_SETTLE_MS = 90

export interface GridOptions {
  thumbnails: Thumbnails
  onAction(action: CardAction, job: Job, card: Card): void
  isSelected(id: string): boolean
}

/**
 * The document grid. Only the rows in and near the viewport exist in the DOM; cards are kept by
 * job id while they stay in range, their thumbnails acquired on mount and released on unmount.
 */
export class Grid {
  readonly element: HTMLElement
  readonly #scroller: HTMLElement
  readonly #canvas: HTMLElement
  readonly #empty: HTMLElement
  readonly #options: GridOptions
  readonly #cards = new Map<string, Card>()
  #jobs: readonly Job[] = []
  #columns = 1
  #frame = 0
  #lastScroll = 0
  readonly #thumbQueue = new Set<Card>()
  /** Cards holding a thumbnail URL, to give back exactly once when they unmount. */
  readonly #acquired = new Set<Card>()
  #thumbTimer: ReturnType<typeof setTimeout> | undefined

  constructor(options: GridOptions) {
    this.#options = options
    this.#canvas = h('div', { class: 'grid-canvas', role: 'list', 'aria-label': 'Documents' })
    this.#empty = h(
      'p',
      { class: 'grid-empty' },
      'No documents yet. Drop photos or PDFs anywhere on this page, paste them, or choose files.',
    )
    this.#scroller = h(
      'div',
      { class: 'grid-scroller', 'data-testid': 'grid' },
      this.#empty,
      this.#canvas,
    )
    this.element = this.#scroller
    this.#scroller.addEventListener(
      'scroll',
      () => {
        this.#lastScroll = performance.now()
        this.#schedule()
      },
      { passive: true },
    )
    this.#scroller.addEventListener('keydown', (event) => this.#onKey(event))
    new ResizeObserver(() => this.#schedule()).observe(this.#scroller)
  }

  /** Replaces the list shown (already filtered and ordered). */
  setJobs(jobs: readonly Job[]): void {
    this.#jobs = jobs
    this.#schedule()
  }

  /** Re-applies selection and state to the mounted cards. */
  refresh(): void {
    this.#schedule()
  }

  /** Scrolls a job into view and focuses its card. */
  reveal(id: string): void {
    const index = this.#jobs.findIndex((job) => job.id === id)
    if (index < 0) return
    this.#scrollToIndex(index)
    this.#render()
    this.#cards.get(id)?.focus()
  }

  #schedule(): void {
    if (this.#frame) return
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0
      this.#render()
    })
  }

  #render(): void {
    const width = this.#scroller.clientWidth - GAP
    this.#columns = Math.max(1, Math.floor(width / (MIN_WIDTH + GAP)))
    const cardWidth = Math.floor(width / this.#columns) - GAP
    const rows = Math.ceil(this.#jobs.length / this.#columns)
    this.#canvas.style.height = `${rows * ROW_HEIGHT + GAP}px`
    this.#empty.hidden = this.#jobs.length > 0

    const top = this.#scroller.scrollTop
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN)
    const last = Math.min(
      rows,
      Math.ceil((top + this.#scroller.clientHeight) / ROW_HEIGHT) + OVERSCAN,
    )
    const start = first * this.#columns
    const end = Math.min(this.#jobs.length, last * this.#columns)

    const wanted = new Set<string>()
    for (let index = start; index < end; index++) {
      const job = this.#jobs[index]
      if (!job) continue
      wanted.add(job.id)
      const selected = this.#options.isSelected(job.id)
      let card = this.#cards.get(job.id)
      if (!card) {
        card = new Card(job, (action, c) => this.#options.onAction(action, c.job, c))
        this.#cards.set(job.id, card)
        this.#canvas.append(card.element)
        if (job.state === 'done') this.#loadThumb(card)
      } else {
        const wasDone = card.job.state === 'done'
        if (card.job !== job || card.selected !== selected) card.update(job, selected)
        if (!wasDone && job.state === 'done') this.#loadThumb(card)
      }
      if (card.selected !== selected) card.update(job, selected)
      const row = Math.floor(index / this.#columns)
      const column = index % this.#columns
      const style = card.element.style
      style.width = `${cardWidth}px`
      style.transform = `translate(${GAP + column * (cardWidth + GAP)}px, ${GAP + row * ROW_HEIGHT}px)`
      card.element.setAttribute('aria-posinset', String(index + 1))
      card.element.setAttribute('aria-setsize', String(this.#jobs.length))
    }

    for (const [id, card] of this.#cards) {
      if (wanted.has(id)) continue
      // Keep a focused card alive so keyboard users do not lose their place mid-scroll.
      if (card.element.contains(document.activeElement) && this.#jobs.some((j) => j.id === id))
        continue
      card.element.remove()
      this.#cards.delete(id)
      this.#thumbQueue.delete(card)
      if (this.#acquired.delete(card)) this.#options.thumbnails.release(id)
    }
  }

  /**
   * Queues a card's thumbnail. Registering a stored Blob as an object URL costs a round trip to
   * the browser process, so during a fling the grid waits until scrolling pauses.
   */
  #loadThumb(card: Card): void {
    this.#thumbQueue.add(card)
    if (this.#thumbTimer === undefined) this.#thumbTimer = setTimeout(() => this.#flushThumbs(), 0)
  }

  #flushThumbs(): void {
    this.#thumbTimer = undefined
    const quiet = performance.now() - this.#lastScroll
    if (quiet < SCROLL_SETTLE_MS) {
      this.#thumbTimer = setTimeout(() => this.#flushThumbs(), SCROLL_SETTLE_MS - quiet)
      return
    }
    for (const card of this.#thumbQueue) {
      const id = card.job.id
      if (this.#cards.get(id) !== card) continue
      this.#acquired.add(card)
      void this.#options.thumbnails.acquire(id).then((url) => {
        if (this.#cards.get(id) === card) card.setThumbnail(url)
      })
    }
    this.#thumbQueue.clear()
  }

  #scrollToIndex(index: number): void {
    const row = Math.floor(index / this.#columns)
    const top = row * ROW_HEIGHT
    const view = this.#scroller
    if (top < view.scrollTop) view.scrollTop = top
    else if (top + ROW_HEIGHT > view.scrollTop + view.clientHeight) {
      view.scrollTop = top + ROW_HEIGHT - view.clientHeight + GAP
    }
  }

  /** Arrow keys move between cards, Home/End jump to the ends. */
  #onKey(event: KeyboardEvent): void {
    const target = event.target as HTMLElement
    if (!target.classList.contains('card-open')) return
    const id = (target.closest('[data-testid="card"]') as HTMLElement | null)?.dataset.id
    const index = this.#jobs.findIndex((job) => job.id === id)
    if (index < 0) return
    const step: Record<string, number> = {
      ArrowLeft: -1,
      ArrowRight: 1,
      ArrowUp: -this.#columns,
      ArrowDown: this.#columns,
      Home: -index,
      End: this.#jobs.length - 1 - index,
    }
    const delta = step[event.key]
    if (delta === undefined) return
    const next = this.#jobs[Math.min(this.#jobs.length - 1, Math.max(0, index + delta))]
    if (!next) return
    event.preventDefault()
    this.reveal(next.id)
  }
}
