import { truncateUtf8, utf8Length } from '../shared/utf8'

/** Separates the text of one page from the next. */
export const PAGE_SEPARATOR = '\f'

/**
 * Collects page texts up to a cap in UTF-8 bytes. Pages are added in order; once the cap is
 * reached the last page is cut at a character boundary and `full` turns true.
 *
 * @example
 * const text = new CappedText(2_000_000)
 * for (const page of pages) if (!text.add(page)) break
 * text.result() // { text, bytes, truncated }
 */
export class CappedText {
  #parts: string[] = []
  #bytes = 0
  #pages = 0
  #truncated = false
  #hasText = false
  readonly #cap: number

  constructor(cap: number) {
    this.#cap = Math.max(0, Math.floor(cap))
  }

  /** Whether more pages may follow. */
  get full(): boolean {
    return this.#truncated
  }

  /** Appends one page; returns false once the cap is reached and later pages are dropped. */
  add(pageText: string): boolean {
    if (this.#truncated) return false
    const piece = this.#pages++ === 0 ? pageText : PAGE_SEPARATOR + pageText
    const size = utf8Length(piece)
    if (this.#bytes + size <= this.#cap) {
      this.#keep(piece, size)
      return true
    }
    const { text: cut } = truncateUtf8(piece, this.#cap - this.#bytes)
    this.#keep(cut, utf8Length(cut))
    this.#truncated = true
    return false
  }

  /**
   * The text so far. A document whose pages hold nothing but whitespace (a scan without a
   * text layer) gives an empty string, not a run of page separators.
   */
  result(): { text: string; bytes: number; truncated: boolean } {
    if (!this.#hasText) return { text: '', bytes: 0, truncated: this.#truncated }
    return { text: this.#parts.join(''), bytes: this.#bytes, truncated: this.#truncated }
  }

  #keep(piece: string, size: number): void {
    this.#parts.push(piece)
    this.#bytes += size
    // \S excludes the form feed too, so separators alone never count as text.
    if (!this.#hasText && /\S/.test(piece)) this.#hasText = true
  }
}
