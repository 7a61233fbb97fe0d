import { h } from './dom'
import type { OutboxStatus } from '../sync/outbox'

/** The header's sync indicator: what is waiting to reach the server, and why. */
export class OutboxIndicator {
  readonly element: HTMLElement
  readonly #text: HTMLElement
  readonly #dismiss: HTMLButtonElement
  #online = navigator.onLine
  #last: OutboxStatus | undefined

  /** `onDismiss` drops the refused entries once the person has seen them. */
  constructor(onDismiss: () => void) {
    this.#text = h('p', { class: 'outbox', 'data-testid': 'outbox', role: 'status' })
    this.#dismiss = h(
      'button',
      { type: 'button', class: 'small', hidden: true, onclick: onDismiss },
      'Dismiss refused',
    )
    this.element = h('div', { class: 'outbox-wrap' }, this.#text, this.#dismiss)
    addEventListener('online', () => this.#setOnline(true))
    addEventListener('offline', () => this.#setOnline(false))
  }

  update(status: OutboxStatus): void {
    this.#last = status
    const el = this.#text
    this.#dismiss.hidden = status.failed === 0
    if (!status.loaded) {
      // Right after a load the outbox has not counted yet; "All synced" could be untrue.
      delete el.dataset.count
      delete el.dataset.pending
      el.textContent = 'Checking sync…'
      return
    }
    el.dataset.count = String(status.pending + status.failed)
    el.dataset.pending = String(status.pending)
    el.dataset.online = String(this.#online)
    const parts: string[] = []
    if (!this.#online) parts.push('Offline')
    if (status.unauthorized.length) parts.push('Reconnect to sync')
    if (status.pending) parts.push(`${status.pending} waiting to sync`)
    if (status.failed) {
      const code = status.lastError ? ` (${status.lastError.code})` : ''
      parts.push(`${status.failed} refused by the server${code}`)
    }
    if (parts.length === 0 || (parts.length === 1 && !this.#online && !status.pending)) {
      parts.push(status.sending ? 'Syncing…' : 'All synced')
    }
    el.textContent = parts.join(' · ')
    el.title = status.lastError
      ? `Last refusal: ${status.lastError.message} (${status.lastError.code})`
      : ''
    el.classList.toggle('warn', status.failed > 0 || status.unauthorized.length > 0)
  }

  #setOnline(online: boolean): void {
    this.#online = online
    if (this.#last) this.update(this.#last)
  }
}
