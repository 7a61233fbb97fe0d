import { chromium } from 'playwright'
import type { Browser } from 'playwright'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium.ts'

/** Launches Debian's Chromium headless with the flags this closed network needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true })
}
