/** The parts of `navigator.storage` the processor uses; tests pass a stand-in. */
export type StorageLike = Pick<StorageManager, 'estimate' | 'persist'>

const REFRESH_MS = 2_000

/**
 * Answers "does this file still fit?" before it is written. `estimate()` is asked at most every
 * couple of seconds, and bytes written since are added on top, so a 1,000-file drop does not
 * make 1,000 calls. The browser's own `QuotaExceededError` remains the final word.
 */
export class QuotaGuard {
  #storage: StorageLike | undefined
  #usage = 0
  #quota = Infinity
  #checkedAt = -Infinity

  constructor(storage: StorageLike | undefined) {
    this.#storage = storage
  }

  /** Asks for persistent storage so the browser does not evict results under pressure. */
  async persist(): Promise<boolean> {
    try {
      return (await this.#storage?.persist()) ?? false
    } catch {
      return false
    }
  }

  async fits(bytes: number): Promise<boolean> {
    if (performance.now() - this.#checkedAt > REFRESH_MS) {
      this.#checkedAt = performance.now()
      try {
        const estimate = await this.#storage?.estimate()
        this.#usage = estimate?.usage ?? 0
        this.#quota = estimate?.quota ?? Infinity
      } catch {
        this.#quota = Infinity
      }
    }
    return this.#usage + bytes <= this.#quota
  }

  /** Counts bytes just written until the next estimate sees them. */
  wrote(bytes: number): void {
    this.#usage += bytes
  }
}
