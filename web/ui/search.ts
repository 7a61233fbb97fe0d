import { ApiError } from '../api/client'
import { errorText } from '../errors'
import { h, markOnly } from './dom'
import type { ApiClient, SearchItem } from '../api/client'

const DEBOUNCE_MS = 250

export interface SearchOptions {
  api: ApiClient
  token(): string | undefined
  /** Narrows the grid to names containing the query; empty string shows everything. */
  filterLocal(query: string): void
  /** Opens a result; false when the document is not in this browser. */
  open(sha256: string): boolean
}

/**
 * The search box. Online it asks `/v1/search` (names and text, ranked, with snippets); offline,
 * or when the server cannot be reached, it filters the local grid by name.
 */
export class Search {
  readonly box: HTMLElement
  readonly results: HTMLElement
  readonly #options: SearchOptions
  readonly #input: HTMLInputElement
  #timer: ReturnType<typeof setTimeout> | undefined
  #abort: AbortController | undefined

  constructor(options: SearchOptions) {
    this.#options = options
    this.#input = h('input', {
      type: 'search',
      id: 'search',
      name: 'q',
      placeholder: 'Search names and text',
      autocomplete: 'off',
      'data-testid': 'search',
    })
    this.box = h(
      'form',
      { class: 'search', role: 'search' },
      h('label', { for: 'search', class: 'visually-hidden' }, 'Search documents'),
      this.#input,
    )
    this.box.addEventListener('submit', (event) => {
      event.preventDefault()
      this.#run()
    })
    this.#input.addEventListener('input', () => {
      clearTimeout(this.#timer)
      this.#timer = setTimeout(() => this.#run(), DEBOUNCE_MS)
    })
    this.results = h('section', {
      class: 'results',
      'aria-label': 'Search results',
      'data-testid': 'search-results',
      hidden: true,
    })
    addEventListener('online', () => this.#input.value && this.#run())
    addEventListener('offline', () => this.#input.value && this.#run())
  }

  #run(): void {
    clearTimeout(this.#timer)
    this.#abort?.abort()
    const query = this.#input.value.trim()
    if (!query) {
      this.results.hidden = true
      this.results.replaceChildren()
      this.#options.filterLocal('')
      return
    }
    const token = this.#options.token()
    if (!navigator.onLine || !token) return this.#local(query)
    const abort = new AbortController()
    this.#abort = abort
    this.results.setAttribute('aria-busy', 'true')
    this.#options.api.search(token, query, abort.signal).then(
      (page) => {
        this.#options.filterLocal('')
        this.#show(query, page.items)
      },
      (error: unknown) => {
        if (abort.signal.aborted) return
        if (error instanceof ApiError && error.status === 0) return this.#local(query)
        const code = error instanceof ApiError ? error.code : 'network'
        this.#message(`Search failed: ${errorText(code, (error as Error).message)}`)
      },
    )
  }

  #local(query: string): void {
    this.#options.filterLocal(query)
    this.#message(`Offline: showing documents whose name contains “${query}”.`)
  }

  #show(query: string, items: SearchItem[]): void {
    this.results.removeAttribute('aria-busy')
    const heading = h(
      'h2',
      { class: 'results-title' },
      items.length
        ? `${items.length} ${items.length === 1 ? 'result' : 'results'} for “${query}”`
        : `Nothing found for “${query}”`,
    )
    const list = h('ol', { class: 'results-list' })
    for (const item of items) {
      const open = h(
        'button',
        { type: 'button', class: 'link', 'data-sha256': item.sha256 },
        item.name,
      )
      open.addEventListener('click', () => {
        if (!this.#options.open(item.sha256))
          open.after(h('span', { class: 'muted' }, ' (not in this browser)'))
      })
      list.append(
        h(
          'li',
          { 'data-testid': 'search-result', 'data-sha256': item.sha256 },
          open,
          h('p', { class: 'snippet' }, markOnly(item.snippet)),
        ),
      )
    }
    this.results.replaceChildren(heading, list)
    this.results.hidden = false
  }

  #message(text: string): void {
    this.results.removeAttribute('aria-busy')
    this.results.replaceChildren(h('p', { class: 'results-title' }, text))
    this.results.hidden = false
  }
}
