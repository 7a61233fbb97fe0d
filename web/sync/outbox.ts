import { openDB } from 'idb'
import { ApiError } from '../api/client'
import { backoffDelay, verdictFor } from './backoff'
import type { DBSchema, IDBPDatabase } from 'idb'
import type { ApiClient, DocumentPut } from '../api/client'
import type { BackoffOptions } from './backoff'

/** What an entry does to a document: upsert its metadata, store its thumbnail, or delete it. */
export type OutboxPart = 'meta' | 'thumbnail' | 'delete'

/** One write waiting to reach the API. Keyed by tenant, document and part, so a repeat overwrites. */
export interface OutboxEntry {
  key: string
  tenant: string
  sha256: string
  part: OutboxPart
  meta?: DocumentPut
  thumbnail?: Blob
  attempts: number
  /** Epoch ms before which the entry is not tried again. */
  notBefore: number
  /** `failed` entries got a 4xx that a retry would not change; they wait to be shown or dropped. */
  state: 'pending' | 'failed'
  error?: { code: string; message: string }
  createdAt: number
}

interface OutboxSchema extends DBSchema {
  entries: {
    key: string
    value: OutboxEntry
    indexes: { 'by-tenant': string; 'by-state': OutboxEntry['state'] }
  }
  /** Keys that reached the server, so a reload does not send them again. */
  sent: {
    key: string
    value: SentRecord
    indexes: { 'by-tenant': string }
  }
}

/** A part that reached the server; `status` is the document status its metadata carried. */
interface SentRecord {
  key: string
  tenant: string
  at: number
  status?: DocumentPut['status']
}

export interface OutboxStatus {
  /** False until the counts have been read from IndexedDB: zero until then means "unknown". */
  loaded: boolean
  pending: number
  failed: number
  /** Tenants whose token the server refused; they wait for a reconnect. */
  unauthorized: string[]
  sending: boolean
  /** The most recent give-up, for the page to show. */
  lastError?: { sha256: string; code: string; message: string }
}

export interface OutboxOptions {
  api: ApiClient
  /** The token to use for a tenant, or undefined when the page holds none. */
  tokenFor(tenant: string): string | undefined
  dbName?: string
  now?: () => number
  /** Backoff tuning; tests shorten the base delay. */
  backoff?: BackoffOptions
}

/** `skipped`: the entry was superseded or replaced after the pass read it, and was not sent. */
type Outcome = 'ok' | 'skipped' | 'network' | 'error'

/** Requests in flight at once: enough to hide latency, well inside the API's rate limit. */
const CONCURRENCY = 4

const keyOf = (tenant: string, sha256: string, part: OutboxPart) => `${tenant}:${sha256}:${part}`

/**
 * Whether `stored` (what the queue holds now under the entry's key) asks for the same write as
 * `entry`, read earlier by a pass: not superseded by a delete, cleared, or replaced by metadata
 * with another status. A repeat of the same write counts as the same, so it is sent once.
 */
const sameWrite = (stored: OutboxEntry | undefined, entry: OutboxEntry) =>
  stored !== undefined && (entry.part !== 'meta' || stored.meta?.status === entry.meta?.status)

/**
 * Carries document metadata and thumbnails to the API, and deletions of removed documents.
 * Survives reloads (IndexedDB), retries with backoff on network errors, 429 and 5xx, stops for a
 * tenant on 401 and drains on `online`.
 */
export class Outbox {
  readonly #options: OutboxOptions
  readonly #db: Promise<IDBPDatabase<OutboxSchema>>
  readonly #listeners = new Set<(status: OutboxStatus) => void>()
  readonly #unauthorized = new Set<string>()
  #status: OutboxStatus = {
    loaded: false,
    pending: 0,
    failed: 0,
    unauthorized: [],
    sending: false,
  }
  #draining: Promise<void> | undefined
  #again = false
  #againNow = false
  #timer: ReturnType<typeof setTimeout> | undefined
  #closed = false

  constructor(options: OutboxOptions) {
    this.#options = options
    this.#db = openDB<OutboxSchema>(options.dbName ?? 'quire-outbox', 1, {
      upgrade(db) {
        const entries = db.createObjectStore('entries', { keyPath: 'key' })
        entries.createIndex('by-tenant', 'tenant')
        entries.createIndex('by-state', 'state')
        const sent = db.createObjectStore('sent', { keyPath: 'key' })
        sent.createIndex('by-tenant', 'tenant')
      },
    })
    addEventListener('online', this.#onOnline)
    void this.#refresh().then(() => this.drain())
  }

  /**
   * Queues metadata, then the thumbnail, for one document unless the server already has them
   * with this status. Calling it again for the same document changes nothing; calling it after a
   * retry turned a failure into a result replaces what was queued or sent. A queued delete of the
   * document is dropped: the file was added again, and the upsert leaves the server with it.
   */
  async enqueue(
    tenant: string,
    sha256: string,
    meta: DocumentPut,
    thumbnail?: Blob,
  ): Promise<void> {
    const db = await this.#db
    const tx = db.transaction(['entries', 'sent'], 'readwrite')
    const now = this.#now()
    const parts: [OutboxPart, Partial<OutboxEntry>][] = [['meta', { meta }]]
    if (thumbnail) parts.push(['thumbnail', { thumbnail }])
    await tx.objectStore('entries').delete(keyOf(tenant, sha256, 'delete'))
    for (const [part, payload] of parts) {
      const key = keyOf(tenant, sha256, part)
      const sent = await tx.objectStore('sent').get(key)
      if (sent && (part === 'thumbnail' || sent.status === meta.status)) continue
      await tx.objectStore('entries').put({
        key,
        tenant,
        sha256,
        part,
        ...payload,
        attempts: 0,
        notBefore: 0,
        state: 'pending',
        createdAt: now + (part === 'thumbnail' ? 1 : 0),
      })
    }
    await tx.done
    await this.#refresh()
    void this.drain()
  }

  /**
   * Queues the deletion of a document from the server (404 counts as done). It supersedes the
   * document's unsent metadata and thumbnail, and forgets that any were sent, so adding the same
   * file again sends it anew. A delete already queued keeps its place and its backoff.
   */
  async enqueueDelete(tenant: string, sha256: string): Promise<void> {
    const db = await this.#db
    const tx = db.transaction(['entries', 'sent'], 'readwrite')
    const entries = tx.objectStore('entries')
    for (const part of ['meta', 'thumbnail'] as const) {
      await entries.delete(keyOf(tenant, sha256, part))
      await tx.objectStore('sent').delete(keyOf(tenant, sha256, part))
    }
    const key = keyOf(tenant, sha256, 'delete')
    if (!(await entries.get(key))) {
      await entries.put({
        key,
        tenant,
        sha256,
        part: 'delete',
        attempts: 0,
        notBefore: 0,
        state: 'pending',
        createdAt: this.#now(),
      })
    }
    await tx.done
    await this.#refresh()
    void this.drain()
  }

  /** Whether the server has a document's metadata with this status. */
  async wasSent(tenant: string, sha256: string, status: DocumentPut['status']): Promise<boolean> {
    const sent = await (await this.#db).get('sent', keyOf(tenant, sha256, 'meta'))
    return sent?.status === status
  }

  /** Forgets everything queued or sent for a tenant (sign-out with clearing). */
  async clearTenant(tenant: string): Promise<void> {
    const db = await this.#db
    const tx = db.transaction(['entries', 'sent'], 'readwrite')
    for (const store of ['entries', 'sent'] as const) {
      const keys = await tx.objectStore(store).index('by-tenant').getAllKeys(tenant)
      await Promise.all(keys.map((key) => tx.objectStore(store).delete(key)))
    }
    await tx.done
    this.#unauthorized.delete(tenant)
    await this.#refresh()
  }

  /** Drops entries that the server refused for good, with the thumbnails waiting behind them. */
  async dismissFailed(tenant: string): Promise<void> {
    const db = await this.#db
    const entries = await db.getAllFromIndex('entries', 'by-tenant', tenant)
    const refused = new Set(entries.filter((e) => e.state === 'failed').map((e) => e.sha256))
    const drop = entries.filter((e) => e.state === 'failed' || refused.has(e.sha256))
    await Promise.all(drop.map((e) => db.delete('entries', e.key)))
    this.#setStatus({ lastError: undefined })
    await this.#refresh()
  }

  /** Called after a reconnect: tries the tenant's entries again at once. */
  resume(tenant: string): void {
    this.#unauthorized.delete(tenant)
    void this.#refresh().then(() => this.drain(true))
  }

  subscribe(listener: (status: OutboxStatus) => void): () => void {
    this.#listeners.add(listener)
    listener(this.#status)
    return () => this.#listeners.delete(listener)
  }

  /** Sends what is due. Concurrent calls share one pass; `now` ignores backoff (after `online`). */
  drain(now = false): Promise<void> {
    if (this.#closed) return Promise.resolve()
    if (this.#draining) {
      this.#again = true
      this.#againNow ||= now
      return this.#draining
    }
    this.#draining = this.#pass(now).finally(() => {
      this.#draining = undefined
      if (this.#again) {
        const againNow = this.#againNow
        this.#again = false
        this.#againNow = false
        void this.drain(againNow)
      }
    })
    return this.#draining
  }

  close(): void {
    this.#closed = true
    clearTimeout(this.#timer)
    removeEventListener('online', this.#onOnline)
    void this.#db.then((db) => db.close())
  }

  readonly #onOnline = () => void this.drain(true)

  /**
   * One pass over what was queued when it started, oldest first; entries queued meanwhile set
   * `#again` and get their own pass. Reading the queue once per pass keeps a long drain linear.
   */
  async #pass(ignoreBackoff: boolean): Promise<void> {
    clearTimeout(this.#timer)
    const db = await this.#db
    this.#setStatus({ sending: true })
    try {
      const entries = (await db.getAll('entries')).sort((a, b) => a.createdAt - b.createdAt)
      const docOf = (e: OutboxEntry) => `${e.tenant}:${e.sha256}`
      // The thumbnail route needs the document to exist: metadata goes first.
      const blocked = new Set(entries.filter((e) => e.part === 'meta').map(docOf))
      let later = Infinity
      let stop = false
      const inflight = new Set<Promise<void>>()
      // Metadata sends started in this pass, so a thumbnail can follow its own document's.
      const metaSent = new Map<string, Promise<Outcome>>()
      for (const entry of entries) {
        if (entry.state !== 'pending' || this.#unauthorized.has(entry.tenant)) continue
        if (this.#options.tokenFor(entry.tenant) === undefined) continue
        const doc = docOf(entry)
        const after = entry.part === 'thumbnail' ? metaSent.get(doc) : undefined
        if (entry.part === 'thumbnail' && blocked.has(doc) && !after) continue
        if (!ignoreBackoff && entry.notBefore > this.#now()) {
          later = Math.min(later, entry.notBefore)
          continue
        }
        while (inflight.size >= CONCURRENCY) await Promise.race(inflight)
        if (stop || this.#closed) break
        const task = (async (): Promise<Outcome> => {
          const first = after && (await after)
          if (first === 'skipped') return 'skipped'
          if (first && first !== 'ok') return 'error'
          return this.#send(db, entry)
        })()
        if (entry.part === 'meta') metaSent.set(doc, task)
        const tracked: Promise<void> = task.then(async (outcome) => {
          inflight.delete(tracked)
          await this.#refresh()
          if (outcome === 'ok' || outcome === 'skipped') return
          // After a failure, only entries whose backoff has run out are tried in this pass.
          ignoreBackoff = false
          if (outcome === 'network') {
            // Offline: the rest would fail the same way; wait for a backoff or `online`.
            stop = true
            const delay = backoffDelay(entry.attempts + 1, undefined, this.#options.backoff)
            later = Math.min(later, this.#now() + delay)
          }
        })
        inflight.add(tracked)
      }
      await Promise.all(inflight)
      if (Number.isFinite(later)) {
        this.#timer = setTimeout(() => void this.drain(), Math.max(50, later - this.#now()))
      }
    } finally {
      await this.#refresh()
      this.#setStatus({ sending: false })
    }
  }

  async #send(db: IDBPDatabase<OutboxSchema>, entry: OutboxEntry): Promise<Outcome> {
    const token = this.#options.tokenFor(entry.tenant)
    if (!token || this.#closed) return 'error'
    // A delete (or other metadata) may have replaced the entry since this pass read the queue.
    if (!sameWrite(await db.get('entries', entry.key), entry)) return 'skipped'
    try {
      if (entry.part === 'meta' && entry.meta) {
        await this.#options.api.putDocument(token, entry.sha256, entry.meta)
      } else if (entry.part === 'thumbnail' && entry.thumbnail) {
        await this.#options.api.putThumbnail(token, entry.sha256, entry.thumbnail)
      } else if (entry.part === 'delete') {
        await this.#options.api.deleteDocument(token, entry.sha256)
      }
      // Closed while the request was out: the entry stays queued and is sent again next time,
      // which the API's idempotent PUT and DELETE absorb.
      if (this.#closed) return 'error'
      const tx = db.transaction(['entries', 'sent'], 'readwrite')
      const sent = tx.objectStore('sent')
      // Replaced while the request was out: the other entry stays queued and nothing is
      // recorded, so a delete queued meanwhile is not undone by a record of this write.
      if (sameWrite(await tx.objectStore('entries').get(entry.key), entry)) {
        await tx.objectStore('entries').delete(entry.key)
        if (entry.part !== 'delete') {
          const record: SentRecord = { key: entry.key, tenant: entry.tenant, at: this.#now() }
          if (entry.meta) record.status = entry.meta.status
          await sent.put(record)
        }
      }
      if (entry.part === 'delete') {
        // Writes of the document that landed while the delete was out are gone with it.
        await sent.delete(keyOf(entry.tenant, entry.sha256, 'meta'))
        await sent.delete(keyOf(entry.tenant, entry.sha256, 'thumbnail'))
      }
      await tx.done
      return 'ok'
    } catch (error) {
      const api = error instanceof ApiError ? error : new ApiError(0, 'network', String(error))
      const verdict = verdictFor(api.status)
      if (verdict === 'reconnect') {
        this.#unauthorized.add(entry.tenant)
        return 'error'
      }
      if (this.#closed) return 'error'
      const updated: OutboxEntry = { ...entry, attempts: entry.attempts + 1 }
      if (verdict === 'retry') {
        updated.notBefore =
          this.#now() + backoffDelay(updated.attempts, api.retryAfter, this.#options.backoff)
      } else {
        updated.state = 'failed'
        updated.error = { code: api.code, message: api.message }
        this.#setStatus({
          lastError: { sha256: entry.sha256, code: api.code, message: api.message },
        })
      }
      // Only over the same entry: one superseded meanwhile (by a delete, say) stays gone.
      const tx = db.transaction('entries', 'readwrite')
      if (sameWrite(await tx.store.get(entry.key), entry)) await tx.store.put(updated)
      await tx.done
      return api.status === 0 ? 'network' : 'error'
    }
  }

  async #refresh(): Promise<void> {
    if (this.#closed) return
    const db = await this.#db
    const [pending, failed] = await Promise.all([
      db.countFromIndex('entries', 'by-state', 'pending'),
      db.countFromIndex('entries', 'by-state', 'failed'),
    ])
    this.#setStatus({ loaded: true, pending, failed, unauthorized: [...this.#unauthorized] })
  }

  #setStatus(patch: Partial<OutboxStatus>): void {
    this.#status = { ...this.#status, ...patch }
    for (const listener of this.#listeners) listener(this.#status)
  }

  #now(): number {
    return (this.#options.now ?? Date.now)()
  }
}
