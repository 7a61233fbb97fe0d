/**
 * A token bucket: `burst` requests at once, refilled at `ratePerSecond`. Lives in memory in the
 * tenant's object; an object that is evicted starts again with a full bucket.
 */
export class TokenBucket {
  #tokens: number
  #updatedAt: number

  constructor(
    public ratePerSecond: number,
    public burst: number,
    now: number,
  ) {
    this.#tokens = burst
    this.#updatedAt = now
  }

  /**
   * Takes one token. Returns 0 when the request may go ahead, else the seconds to wait
   * (rounded up, at least 1) before a token is there.
   */
  take(now: number): number {
    const elapsed = Math.max(0, now - this.#updatedAt) / 1000
    this.#tokens = Math.min(this.burst, this.#tokens + elapsed * this.ratePerSecond)
    this.#updatedAt = now
    if (this.#tokens >= 1) {
      this.#tokens -= 1
      return 0
    }
    return Math.max(1, Math.ceil((1 - this.#tokens) / this.ratePerSecond))
  }

  /** Applies new limits, keeping the tokens already earned (up to the new burst). */
  resize(ratePerSecond: number, burst: number): void {
    this.ratePerSecond = ratePerSecond
    this.burst = burst
    this.#tokens = Math.min(this.#tokens, burst)
  }
}
