import type { Session } from './client'

const LIST_KEY = 'quire.workspaces'
const CURRENT_KEY = 'quire.workspace'

/**
 * The workspaces (tenant + token) this browser is connected to, kept in localStorage. The token
 * stays in this browser only; it is what the API knows the tenant by.
 */
export class Workspaces {
  readonly #storage: Storage

  constructor(storage: Storage = localStorage) {
    this.#storage = storage
  }

  list(): Session[] {
    try {
      const parsed = JSON.parse(this.#storage.getItem(LIST_KEY) ?? '[]') as unknown
      return Array.isArray(parsed) ? (parsed as Session[]).filter((s) => s.tenant && s.token) : []
    } catch {
      return []
    }
  }

  current(): Session | undefined {
    const tenant = this.#storage.getItem(CURRENT_KEY)
    const all = this.list()
    return all.find((s) => s.tenant === tenant) ?? all[0]
  }

  tokenFor(tenant: string): string | undefined {
    return this.list().find((s) => s.tenant === tenant)?.token
  }

  /** Adds or updates a workspace and makes it the current one. */
  connect(session: Session): void {
    const others = this.list().filter((s) => s.tenant !== session.tenant)
    this.#storage.setItem(LIST_KEY, JSON.stringify([...others, session]))
    this.#storage.setItem(CURRENT_KEY, session.tenant)
  }

  switchTo(tenant: string): void {
    this.#storage.setItem(CURRENT_KEY, tenant)
  }

  /** Forgets a workspace's token; the next one (if any) becomes current. */
  forget(tenant: string): void {
    const rest = this.list().filter((s) => s.tenant !== tenant)
    this.#storage.setItem(LIST_KEY, JSON.stringify(rest))
    if (rest[0]) this.#storage.setItem(CURRENT_KEY, rest[0].tenant)
    else this.#storage.removeItem(CURRENT_KEY)
  }
}
