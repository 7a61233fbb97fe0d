import { h } from './dom'

/** A polite live region for things a screen reader should hear once (batch done, errors). */
export class Announcer {
  readonly element = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' })

  say(text: string): void {
    // Clearing first makes the same sentence twice in a row be read twice.
    this.element.textContent = ''
    requestAnimationFrame(() => (this.element.textContent = text))
  }
}
