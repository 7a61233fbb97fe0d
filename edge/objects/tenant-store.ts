import { DurableObject } from 'cloudflare:workers'
import { ApiError } from '../errors'
import { MAX_TEXT_BYTES, metadataValues } from '../schemas'
import { hashesEqual } from '../tokens'
import { isInitialized, migrate } from './migrations'
import { MARK_END, MARK_START, snippetHtml, stripMarks } from './search-query'
import { TokenBucket } from './token-bucket'
import type { Env } from '../env'
import type { Outcome } from '../errors'
import type {
  Document,
  DocumentInput,
  Limits,
  LimitsPatch,
  SearchItem,
  TenantInfo,
  Usage,
} from '../schemas'

/** How a request proved it speaks for this tenant; the Worker checked the dev token itself. */
export type Credential = { kind: 'token'; tokenId: string; hash: string } | { kind: 'dev' }

/**
 * Limits of a tenant without an admin override. The burst lets a page send metadata and a
 * thumbnail for 1,000 files at once without a single 429; the rate is what it can keep up.
 */
export const DEFAULT_LIMITS: Limits = {
  documents: 10_000,
  textBytes: 100 * 1024 * 1024,
  thumbnailBytes: 1024 * 1024 * 1024,
  thumbnailSize: 256 * 1024,
  ratePerSecond: 100,
  burst: 2_000,
}

/** The id of the tenant made on first use in development. */
export const DEV_TENANT = 'dev'

export interface Page<T> {
  items: T[]
  next: number | null
}

interface DocumentRow extends Record<string, SqlStorageValue> {
  id: number
  sha256: string
  name: string
  mime: string
  bytes: number
  kind: string | null
  status: string
  error_code: string | null
  error_message: string | null
  width: number | null
  height: number | null
  pages: number | null
  title: string | null
  author: string | null
  creation_date: string | null
  text_bytes: number
  text_truncated: number
  thumbnail_bytes: number
  fingerprint: string | null
  created_at: string
  updated_at: string
}

interface Totals extends Record<string, SqlStorageValue> {
  documents: number
  failed: number
  textBytes: number
  thumbnailBytes: number
}

/**
 * One tenant's documents, text index, usage, limits and token hashes, in this object's SQLite
 * storage. Every public method is an RPC entry point: it answers an `Outcome` and never throws,
 * so error codes survive the trip back to the Worker.
 */
export class TenantStore extends DurableObject<Env> {
  #tenant: string | null = null
  #bucket: TokenBucket | null = null

  // Tenant routes: each checks the credential and the rate limit first.

  async usage(credential: Credential): Promise<Outcome<Usage>> {
    return this.#serve(credential, () => this.#usage())
  }

  async putDocument(
    credential: Credential,
    sha256: string,
    input: DocumentInput,
    fingerprint: string,
  ): Promise<Outcome<{ created: boolean; document: Document }>> {
    return this.#serve(credential, () => this.#putDocument(sha256, input, fingerprint))
  }

  async listDocuments(
    credential: Credential,
    limit: number,
    before: number | null,
  ): Promise<Outcome<Page<Document>>> {
    return this.#serve(credential, () => {
      const rows = this.#sql
        .exec<DocumentRow>(
          'SELECT * FROM documents WHERE id < ? ORDER BY id DESC LIMIT ?',
          before ?? Number.MAX_SAFE_INTEGER,
          limit + 1,
        )
        .toArray()
      const page = rows.slice(0, limit)
      const next = rows.length > limit ? page.at(-1)!.id : null
      return { items: page.map((row) => toDocument(row)), next }
    })
  }

  async getDocument(
    credential: Credential,
    sha256: string,
    includeText: boolean,
  ): Promise<Outcome<Document>> {
    return this.#serve(credential, () => {
      const row = this.#row(sha256)
      if (!includeText) return toDocument(row)
      const text = this.#sql
        .exec<{ text: string }>('SELECT text FROM documents_fts WHERE rowid = ?', row.id)
        .toArray()[0]?.text
      return toDocument(row, text ?? '')
    })
  }

  async deleteDocument(credential: Credential, sha256: string): Promise<Outcome<null>> {
    return this.#serve(credential, async () => {
      const row = this.#row(sha256)
      // The blob goes first: if R2 fails, the row stays and a retry finishes the job.
      if (row.thumbnail_bytes > 0) await this.env.THUMBNAILS.delete(this.#thumbnailKey(sha256))
      this.ctx.storage.transactionSync(() => {
        this.#sql.exec('DELETE FROM documents_fts WHERE rowid = ?', row.id)
        this.#sql.exec('DELETE FROM documents WHERE id = ?', row.id)
      })
      return null
    })
  }

  async putThumbnail(
    credential: Credential,
    sha256: string,
    body: ArrayBuffer,
  ): Promise<Outcome<{ bytes: number }>> {
    return this.#serve(credential, () => this.#putThumbnail(sha256, body))
  }

  async getThumbnail(
    credential: Credential,
    sha256: string,
  ): Promise<Outcome<{ body: ArrayBuffer; etag: string }>> {
    return this.#serve(credential, async () => {
      const row = this.#row(sha256)
      const object =
        row.thumbnail_bytes > 0 ? await this.env.THUMBNAILS.get(this.#thumbnailKey(sha256)) : null
      if (!object) throw new ApiError('not_found', `document ${sha256} has no thumbnail`)
      return { body: await object.arrayBuffer(), etag: object.httpEtag }
    })
  }

  async search(
    credential: Credential,
    match: string,
    limit: number,
    offset: number,
  ): Promise<Outcome<Page<SearchItem>>> {
    return this.#serve(credential, () => {
      if (match === '') return { items: [], next: null }
      let rows: { sha256: string; name: string; snippet: string; rank: number }[]
      try {
        rows = this.#sql
          .exec<{ sha256: string; name: string; snippet: string; rank: number }>(
            // Ranks every match by rowid alone, then makes snippets for the page's rows only:
            // a snippet costs far more than a score, and a common word matches every row.
            `SELECT d.sha256, d.name,
               snippet(documents_fts, -1, ?, ?, '…', 16) AS snippet,
               page.rank
             FROM (
               SELECT rowid AS id, bm25(documents_fts, 4.0, 1.0) AS rank
               FROM documents_fts WHERE documents_fts MATCH ?
               ORDER BY rank, rowid DESC LIMIT ? OFFSET ?
             ) AS page
             JOIN documents_fts ON documents_fts.rowid = page.id AND documents_fts MATCH ?
             JOIN documents d ON d.id = page.id
             ORDER BY page.rank, page.id DESC`,
            MARK_START,
            MARK_END,
            match,
            limit + 1,
            offset,
            match,
          )
          .toArray()
      } catch (error) {
        throw new ApiError('invalid_request', 'the search query could not be run', { cause: error })
      }
      const page = rows.slice(0, limit).map((row) => ({
        sha256: row.sha256,
        name: row.name,
        snippet: snippetHtml(row.snippet),
        score: -row.rank,
      }))
      return { items: page, next: rows.length > limit ? offset + limit : null }
    })
  }

  // Admin routes: the Worker has checked the admin token.

  async create(
    tenant: string,
    overrides: LimitsPatch,
    token: { tokenId: string; hash: string },
  ): Promise<Outcome<null>> {
    return this.#guard(() => {
      if (isInitialized(this.#sql)) throw new ApiError('conflict', `tenant ${tenant} exists`)
      this.#initialize(tenant)
      this.ctx.storage.transactionSync(() => {
        this.#writeOverrides(overrides)
        this.#insertToken(token.tokenId, token.hash)
      })
      return null
    })
  }

  async info(): Promise<Outcome<TenantInfo>> {
    return this.#guard(() => {
      this.#open(null)
      const tokens = this.#sql
        .exec<{ tokenId: string; createdAt: string; revokedAt: string | null }>(
          'SELECT id AS tokenId, created_at AS createdAt, revoked_at AS revokedAt FROM tokens ORDER BY created_at',
        )
        .toArray()
      return {
        id: this.#tenant!,
        createdAt: this.#meta('created_at') ?? '',
        usage: this.#usage(),
        overrides: this.#overrides(),
        tokens,
      }
    })
  }

  async setLimits(patch: LimitsPatch): Promise<Outcome<Limits>> {
    return this.#guard(() => {
      this.#open(null)
      const overrides: Record<string, unknown> = { ...this.#overrides() }
      for (const [key, value] of Object.entries(patch)) {
        if (value === null) delete overrides[key]
        else if (value !== undefined) overrides[key] = value
      }
      this.#writeOverrides(overrides as LimitsPatch)
      const limits = this.#limits()
      this.#bucket?.resize(limits.ratePerSecond, limits.burst)
      return limits
    })
  }

  async addToken(tokenId: string, hash: string, revokeOthers: boolean): Promise<Outcome<null>> {
    return this.#guard(() => {
      this.#open(null)
      this.ctx.storage.transactionSync(() => {
        if (revokeOthers) {
          this.#sql.exec(
            'UPDATE tokens SET revoked_at = ? WHERE revoked_at IS NULL',
            new Date().toISOString(),
          )
        }
        this.#insertToken(tokenId, hash)
      })
      return null
    })
  }

  async revokeToken(tokenId: string): Promise<Outcome<null>> {
    return this.#guard(() => {
      this.#open(null)
      const found = this.#sql.exec('SELECT 1 FROM tokens WHERE id = ?', tokenId).toArray()
      if (found.length === 0) throw new ApiError('not_found', `no token ${tokenId} for this tenant`)
      this.#sql.exec(
        'UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
        new Date().toISOString(),
        tokenId,
      )
      return null
    })
  }

  // Internals.

  get #sql(): SqlStorage {
    return this.ctx.storage.sql
  }

  async #serve<T>(credential: Credential, work: () => T | Promise<T>): Promise<Outcome<T>> {
    return this.#guard(() => {
      this.#open(credential)
      this.#authenticate(credential)
      this.#throttle()
      return work()
    })
  }

  async #guard<T>(work: () => T | Promise<T>): Promise<Outcome<T>> {
    try {
      return { ok: true, value: await work() }
    } catch (error) {
      if (error instanceof ApiError) {
        const { code, message, retryAfter } = error
        return { ok: false, error: { code, message, retryAfter } }
      }
      console.error(
        JSON.stringify({
          at: `TenantStore:${this.#tenant ?? 'unknown'}`,
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        }),
      )
      return { ok: false, error: { code: 'internal', message: 'internal error' } }
    }
  }

  /**
   * Brings the schema up to date, or refuses: an object nobody created stays empty, so a
   * made-up tenant id in a token writes nothing. Only the dev credential creates on first use.
   */
  #open(credential: Credential | null): void {
    if (this.#tenant) return
    if (isInitialized(this.#sql)) {
      migrate(this.ctx.storage)
      this.#tenant = this.#meta('tenant')
      return
    }
    if (credential?.kind === 'dev') return this.#initialize(DEV_TENANT)
    if (credential) throw unauthorized()
    throw new ApiError('not_found', 'no such tenant')
  }

  #initialize(tenant: string): void {
    migrate(this.ctx.storage)
    this.#sql.exec(
      "INSERT INTO meta (key, value) VALUES ('tenant', ?), ('created_at', ?)",
      tenant,
      new Date().toISOString(),
    )
    this.#tenant = tenant
  }

  #authenticate(credential: Credential): void {
    if (credential.kind === 'dev') {
      if (this.#tenant !== DEV_TENANT) throw unauthorized()
      return
    }
    const row = this.#sql
      .exec<{ hash: string; revoked_at: string | null }>(
        'SELECT hash, revoked_at FROM tokens WHERE id = ?',
        credential.tokenId,
      )
      .toArray()[0]
    if (!row || row.revoked_at !== null || !hashesEqual(row.hash, credential.hash)) {
      throw unauthorized()
    }
  }

  #throttle(): void {
    const limits = this.#limits()
    const now = Date.now()
    this.#bucket ??= new TokenBucket(limits.ratePerSecond, limits.burst, now)
    const wait = this.#bucket.take(now)
    if (wait > 0) {
      throw new ApiError('rate_limited', `too many requests; retry in ${wait} s`, {
        retryAfter: wait,
      })
    }
  }

  #putDocument(
    sha256: string,
    input: DocumentInput,
    fingerprint: string,
  ): { created: boolean; document: Document } {
    const name = stripMarks(input.name)
    const text = stripMarks(input.text ?? '')
    const textBytes = new TextEncoder().encode(text).byteLength
    if (textBytes > MAX_TEXT_BYTES) {
      throw new ApiError(
        'payload_too_large',
        `text is ${textBytes} bytes; the limit is ${MAX_TEXT_BYTES} (send it truncated)`,
      )
    }

    // No await from here on: the check and the write happen as one step, so 50 identical
    // requests at once still leave one row.
    return this.ctx.storage.transactionSync(() => {
      const existing = this.#findRow(sha256)
      if (existing?.fingerprint === fingerprint)
        return { created: false, document: toDocument(existing) }

      const limits = this.#limits()
      const totals = this.#totals()
      if (!existing && totals.documents >= limits.documents) {
        throw new ApiError(
          'quota_exceeded',
          `the workspace holds its limit of ${limits.documents} documents`,
        )
      }
      const previousText = existing?.text_bytes ?? 0
      if (
        textBytes > previousText &&
        totals.textBytes - previousText + textBytes > limits.textBytes
      ) {
        throw new ApiError(
          'quota_exceeded',
          `text would reach ${totals.textBytes - previousText + textBytes} bytes; the limit is ${limits.textBytes}`,
        )
      }

      const now = new Date().toISOString()
      const values = [
        name,
        ...metadataValues(input),
        textBytes,
        input.textTruncated ? 1 : 0,
        fingerprint,
      ]
      let id: number
      if (existing) {
        id = existing.id
        this.#sql.exec(
          `UPDATE documents SET name = ?, mime = ?, bytes = ?, kind = ?, status = ?, error_code = ?,
             error_message = ?, width = ?, height = ?, pages = ?, title = ?, author = ?,
             creation_date = ?, text_bytes = ?, text_truncated = ?, fingerprint = ?, updated_at = ?
           WHERE id = ?`,
          ...values,
          now,
          id,
        )
        this.#sql.exec('DELETE FROM documents_fts WHERE rowid = ?', id)
      } else {
        id = this.#sql
          .exec<{ id: number }>(
            `INSERT INTO documents (name, mime, bytes, kind, status, error_code, error_message,
               width, height, pages, title, author, creation_date, text_bytes, text_truncated,
               fingerprint, sha256, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
            ...values,
            sha256,
            now,
            now,
          )
          .one().id
      }
      this.#sql.exec(
        'INSERT INTO documents_fts (rowid, name, text) VALUES (?, ?, ?)',
        id,
        name,
        text,
      )
      return { created: !existing, document: toDocument(this.#row(sha256)) }
    })
  }

  async #putThumbnail(sha256: string, body: ArrayBuffer): Promise<{ bytes: number }> {
    const limits = this.#limits()
    const size = body.byteLength
    if (size > limits.thumbnailSize) {
      throw new ApiError(
        'payload_too_large',
        `thumbnail is ${size} bytes; the limit is ${limits.thumbnailSize}`,
      )
    }
    const row = this.#row(sha256)
    const total = this.#totals().thumbnailBytes - row.thumbnail_bytes + size
    if (total > limits.thumbnailBytes) {
      throw new ApiError(
        'quota_exceeded',
        `thumbnails would reach ${total} bytes; the limit is ${limits.thumbnailBytes}`,
      )
    }

    // Reserve the bytes before the upload so parallel uploads cannot overshoot the quota.
    this.#sql.exec('UPDATE documents SET thumbnail_bytes = ? WHERE id = ?', size, row.id)
    try {
      await this.env.THUMBNAILS.put(this.#thumbnailKey(sha256), body, {
        httpMetadata: { contentType: 'image/webp' },
      })
    } catch (error) {
      this.#sql.exec(
        'UPDATE documents SET thumbnail_bytes = ? WHERE id = ?',
        row.thumbnail_bytes,
        row.id,
      )
      throw error
    }
    if (this.#findRow(sha256)?.id !== row.id) {
      // The document was deleted while the upload ran; do not leave an orphan blob.
      await this.env.THUMBNAILS.delete(this.#thumbnailKey(sha256))
      throw new ApiError('not_found', `document ${sha256} was deleted`)
    }
    return { bytes: size }
  }

  #usage(): Usage {
    return { tenant: this.#tenant!, ...this.#totals(), limits: this.#limits() }
  }

  #totals(): Totals {
    return this.#sql
      .exec<Totals>(
        `SELECT documents, failed, text_bytes AS textBytes, thumbnail_bytes AS thumbnailBytes
         FROM totals`,
      )
      .one()
  }

  #limits(): Limits {
    return { ...DEFAULT_LIMITS, ...(this.#overrides() as Partial<Limits>) }
  }

  #overrides(): LimitsPatch {
    const raw = this.#meta('limits')
    return raw ? (JSON.parse(raw) as LimitsPatch) : {}
  }

  #writeOverrides(overrides: LimitsPatch): void {
    const clean = Object.fromEntries(
      Object.entries(overrides).filter(([, value]) => value !== null && value !== undefined),
    )
    this.#sql.exec(
      "INSERT INTO meta (key, value) VALUES ('limits', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      JSON.stringify(clean),
    )
  }

  #meta(key: string): string | null {
    const row = this.#sql
      .exec<{ value: string }>('SELECT value FROM meta WHERE key = ?', key)
      .toArray()[0]
    return row?.value ?? null
  }

  #insertToken(tokenId: string, hash: string): void {
    this.#sql.exec(
      'INSERT INTO tokens (id, hash, created_at) VALUES (?, ?, ?)',
      tokenId,
      hash,
      new Date().toISOString(),
    )
  }

  #findRow(sha256: string): DocumentRow | undefined {
    return this.#sql
      .exec<DocumentRow>('SELECT * FROM documents WHERE sha256 = ?', sha256)
      .toArray()[0]
  }

  #row(sha256: string): DocumentRow {
    const row = this.#findRow(sha256)
    if (!row) throw new ApiError('not_found', `no document ${sha256} in this workspace`)
    return row
  }

  #thumbnailKey(sha256: string): string {
    return `${this.#tenant}/${sha256}/thumbnail.webp`
  }
}

function unauthorized(): ApiError {
  return new ApiError('unauthorized', 'the token is missing, unknown or revoked')
}

/** A stored row as the API shows it: absent values are left out, not null. */
function toDocument(row: DocumentRow, text?: string): Document {
  const doc: Document = {
    sha256: row.sha256,
    name: row.name,
    mime: row.mime,
    bytes: row.bytes,
    kind: row.kind as Document['kind'],
    status: row.status as Document['status'],
    textBytes: row.text_bytes,
    textTruncated: row.text_truncated === 1,
    thumbnail: row.thumbnail_bytes > 0,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
  if (row.error_code) {
    doc.error = {
      code: row.error_code as NonNullable<Document['error']>['code'],
      message: row.error_message ?? '',
    }
  }
  if (row.width !== null) doc.width = row.width
  if (row.height !== null) doc.height = row.height
  if (row.pages !== null) doc.pages = row.pages
  if (row.title !== null) doc.title = row.title
  if (row.author !== null) doc.author = row.author
  if (row.creation_date !== null) doc.creationDate = row.creation_date
  if (text !== undefined) doc.text = text
  return doc
}
