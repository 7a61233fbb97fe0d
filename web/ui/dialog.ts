import { h } from './dom'

/**
 * A modal `<dialog>` with a heading and a close button. `showModal` gives the focus trap, Escape
 * and the inert background; closing returns focus to what opened it.
 */
export class Dialog {
  readonly element: HTMLDialogElement
  readonly body: HTMLElement
  readonly #title: HTMLElement
  #onClose: (() => void) | undefined
  #opener: Element | null = null
  #swapped = false

  constructor(id: string, className = '') {
    this.#title = h('h2', { id: `${id}-title` })
    this.body = h('div', { class: 'dialog-body' })
    const close = h(
      'button',
      { type: 'button', class: 'dialog-close', onclick: () => this.close() },
      'Close',
    )
    this.element = h(
      'dialog',
      { id, class: `dialog ${className}`, 'aria-labelledby': `${id}-title` },
      h('div', { class: 'dialog-head' }, this.#title, close),
      this.body,
    )
    this.element.addEventListener('close', () => {
      // `close` arrives as a task: a swap in `show` has already run the callback it belongs to.
      if (this.#swapped) {
        this.#swapped = false
        if (this.element.open) return
      }
      const onClose = this.#onClose
      this.#onClose = undefined
      onClose?.()
      if (this.#opener instanceof HTMLElement && this.#opener.isConnected) this.#opener.focus()
    })
    document.body.append(this.element)
  }

  /** Opens with new content; if already open, the old content's `onClose` runs first. */
  show(title: string, content: Node[], onClose?: () => void): void {
    if (this.element.open) {
      const previous = this.#onClose
      this.#onClose = undefined
      previous?.()
      this.#swapped = true
      this.element.close()
    } else {
      this.#opener = document.activeElement
    }
    this.#title.textContent = title
    this.body.replaceChildren(...content)
    this.#onClose = onClose
    this.element.showModal()
  }

  close(): void {
    if (this.element.open) this.element.close()
  }
}
