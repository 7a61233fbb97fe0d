/** Loads a job's thumbnail Blob; undefined when it has none. */
export type ThumbnailSource = (id: string) => Promise<Blob | undefined>

/**
 * Object URLs for the thumbnails on screen, counted by the cards that use them. A card takes a
 * URL when it scrolls into view and gives it back when it leaves; the last one out revokes it,
 * so a long scroll does not pile up decoded images.
 */
export class Thumbnails {
  readonly #source: ThumbnailSource
  readonly #entries = new Map<string, { url: Promise<string | undefined>; refs: number }>()

  constructor(source: ThumbnailSource) {
    this.#source = source
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
    return entry.url
  }

  release(id: string): void {
    const entry = this.#entries.get(id)
    if (!entry || --entry.refs > 0) return
    this.#entries.delete(id)
    void entry.url.then((url) => url && URL.revokeObjectURL(url))
  }

  /** Drops a cached URL so the next acquire reads the store again (after a retry). */
  forget(id: string): void {
    const entry = this.#entries.get(id)
    if (entry && entry.refs === 0) this.release(id)
  }

  /** How many URLs are alive; the grid keeps this near the number of visible cards. */
  get size(): number {
    return this.#entries.size
  }
}
