/** Loads a job's thumbnail Blob; undefined when it has none. */
export type ThumbnailSource = (id: string) => Promise<Blob | undefined>

/**
 * Object URLs for the thumbnails on screen, counted by the cards that use them. A card takes a
 * URL when it scrolls into view and gives it back when it leaves; past a small number of unused
 * ones the oldest is revoked, so a long scroll does not pile up registered blobs.
 */
export class Thumbnails {
  readonly #source: ThumbnailSource
  readonly #entries = new Map<string, { url: Promise<string | undefined>; refs: number }>()
  /** Ids with no card on screen, oldest first. */
  readonly #unused = new Set<string>()
  readonly #keep: number

  /** `keep` is how many off-screen thumbnails stay registered before the oldest is revoked. */
  constructor(source: ThumbnailSource, keep = 150) {
    this.#source = source
    this.#keep = keep
  }

  acquire(id: string): Promise<string | undefined> {
    let entry = this.#entries.get(id)
    if (!entry) {
      const url = this.#source(id).then(
        (blob) => (blob ? URL.createObjectURL(blob) : undefined),
        () => undefined,
      )
      entry = { url, refs: 0 }
      this.#entries.set(id, entry)
    }
    entry.refs++
    this.#unused.delete(id)
    return entry.url
  }

  release(id: string): void {
    const entry = this.#entries.get(id)
    if (!entry || --entry.refs > 0) return
    // Keep the most recent unused URLs, so scrolling back does not read and register them again.
    this.#unused.delete(id)
    this.#unused.add(id)
    for (const oldest of this.#unused) {
      if (this.#unused.size <= this.#keep) break
      this.#revoke(oldest)
    }
  }

  /** Drops a cached URL so the next acquire reads the store again (after a retry). */
  forget(id: string): void {
    if (this.#entries.get(id)?.refs === 0) this.#revoke(id)
  }

  #revoke(id: string): void {
    const entry = this.#entries.get(id)
    this.#unused.delete(id)
    if (!entry) return
    this.#entries.delete(id)
    void entry.url.then((url) => url && URL.revokeObjectURL(url))
  }

  /** How many URLs are alive; the grid keeps this near the number of visible cards. */
  get size(): number {
    return this.#entries.size
  }
}
