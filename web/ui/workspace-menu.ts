import { ApiError } from '../api/client'
import { errorText } from '../errors'
import { h } from './dom'
import type { ApiClient } from '../api/client'
import type { Workspaces } from '../api/workspaces'

export interface WorkspaceMenuOptions {
  api: ApiClient
  workspaces: Workspaces
  current: string | undefined
  /** Called after the current workspace changed (the page reloads into it). */
  onSwitch(tenant: string): void
  /** Removes the workspace's local documents and outbox entries. */
  clearLocal(tenant: string): Promise<void>
}

/** The header's workspace control: who this is, connect with a token, switch, sign out. */
export class WorkspaceMenu {
  readonly element: HTMLElement
  readonly #options: WorkspaceMenuOptions
  readonly #toggle: HTMLButtonElement
  readonly #panel: HTMLElement
  readonly #message: HTMLElement

  constructor(options: WorkspaceMenuOptions) {
    this.#options = options
    this.#toggle = h(
      'button',
      {
        type: 'button',
        class: 'workspace-toggle',
        'aria-expanded': 'false',
        'aria-controls': 'workspace-panel',
        'data-testid': 'workspace',
      },
      h('span', { class: 'muted' }, 'Workspace '),
      h('strong', { 'data-testid': 'tenant' }, options.current ?? 'none'),
    )
    this.#toggle.addEventListener('click', () => this.toggle())
    this.#message = h('p', { role: 'status', class: 'workspace-message' })
    this.#panel = h('div', { id: 'workspace-panel', class: 'workspace-panel', hidden: true })
    this.element = h('div', { class: 'workspace' }, this.#toggle, this.#panel)
    this.element.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !this.#panel.hidden) {
        this.toggle(false)
        this.#toggle.focus()
      }
    })
    this.#render()
  }

  toggle(open = this.#panel.hidden): void {
    this.#panel.hidden = !open
    this.#toggle.setAttribute('aria-expanded', String(open))
    if (open) this.#panel.querySelector<HTMLElement>('input, button')?.focus()
  }

  /** Opens the panel with a note, e.g. after the server refused the token. */
  ask(note: string): void {
    this.#message.textContent = note
    this.toggle(true)
  }

  #render(): void {
    const { workspaces, current } = this.#options
    const token = h('input', {
      type: 'password',
      id: 'token',
      autocomplete: 'off',
      required: true,
      'data-testid': 'token-input',
    })
    const connect = h(
      'form',
      { class: 'stack' },
      h('label', { for: 'token' }, 'Connect with a workspace token'),
      token,
      h('button', { type: 'submit', class: 'primary' }, 'Connect'),
    )
    connect.addEventListener('submit', (event) => {
      event.preventDefault()
      void this.#connect(token.value.trim())
    })

    const others = workspaces.list().filter((s) => s.tenant !== current)
    const switcher = others.length
      ? h(
          'div',
          { class: 'stack' },
          h('h3', {}, 'Switch to'),
          ...others.map((s) =>
            h('button', { type: 'button', onclick: () => this.#switch(s.tenant) }, s.tenant),
          ),
        )
      : undefined

    const clear = h('input', { type: 'checkbox', id: 'clear-local' })
    const signOut = current
      ? h(
          'div',
          { class: 'stack' },
          h(
            'label',
            { class: 'check' },
            clear,
            ` Also remove this workspace's documents from this browser`,
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'danger',
              onclick: () => void this.#signOut(current, clear.checked),
            },
            `Sign out of ${current}`,
          ),
        )
      : undefined

    this.#panel.replaceChildren(
      this.#message,
      connect,
      ...(switcher ? [switcher] : []),
      ...(signOut ? [signOut] : []),
    )
  }

  async #connect(token: string): Promise<void> {
    if (!token) return
    this.#message.textContent = 'Checking the token…'
    try {
      const usage = await this.#options.api.usage(token)
      this.#options.workspaces.connect({ tenant: usage.tenant, token })
      this.#options.onSwitch(usage.tenant)
    } catch (error) {
      const code = error instanceof ApiError ? error.code : 'network'
      this.#message.textContent =
        code === 'unauthorized' ? 'The server does not know that token.' : errorText(code)
    }
  }

  #switch(tenant: string): void {
    this.#options.workspaces.switchTo(tenant)
    this.#options.onSwitch(tenant)
  }

  async #signOut(tenant: string, clearLocal: boolean): Promise<void> {
    if (clearLocal) {
      this.#message.textContent = 'Removing local documents…'
      await this.#options.clearLocal(tenant)
    }
    this.#options.workspaces.forget(tenant)
    this.#options.onSwitch(this.#options.workspaces.current()?.tenant ?? '')
  }
}
