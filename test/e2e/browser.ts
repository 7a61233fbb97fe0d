import { chromium } from 'playwright'
import { afterAll, beforeAll } from 'vitest'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium.ts'
import type { Browser } from 'playwright'

/** Launches Debian's Chromium headless with the flags this closed network needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true })
}

/**
 * Starts one Chromium before the calling file's tests and closes it after them.
 *
 * @example
 * const browser = useChromium()
 * it('…', async () => { const page = await browser().newPage() })
 */
export function useChromium(): () => Browser {
  let browser: Browser | undefined
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
  })
  return () => {
    if (!browser) throw new Error('Chromium is not running: call useChromium() at file level')
    return browser
  }
}
