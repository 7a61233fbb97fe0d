import { readFileSync } from 'node:fs'
import AxeBuilder from '@axe-core/playwright'
import { describe, expect, it } from 'vitest'
import { useChromium } from './browser.ts'
import {
  SHOTS,
  contextFor,
  createTenant,
  fixture,
  openApp,
  tinyPng,
  waitSettled,
} from './app-helpers.ts'
import type { Page } from 'playwright'

/** Serious and critical axe violations, as "rule: target" lines for a readable failure. */
async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze()
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((node) => `${v.id}: ${node.target.join(' ')}`))
}

describe('the app accessibility', () => {
  const browser = useChromium()

  for (const [label, viewport] of [
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    it(`has no serious violations on the main screens (${label})`, async () => {
      const tenant = await createTenant()
      const context = await contextFor(browser(), tenant, viewport)
      const page = await openApp(context)
      expect(await violations(page)).toEqual([])
      await page.screenshot({ path: `${SHOTS}/empty-${label}.png` })

      await page.getByTestId('file-input').setInputFiles([
        { name: 'photo.png', mimeType: 'image/png', buffer: tinyPng(42, 320, 200) },
        {
          name: 'document.pdf',
          mimeType: 'application/pdf',
          buffer: readFileSync(fixture('pdf/multi-page.pdf')),
        },
        { name: 'broken.txt', mimeType: 'text/plain', buffer: Buffer.from('nope') },
      ])
      await waitSettled(page, 3)
      expect(await violations(page)).toEqual([])
      await page.screenshot({ path: `${SHOTS}/grid-${label}.png` })

      const focusedCard = () =>
        page.evaluate(() => document.activeElement?.closest('[data-testid="card"]')?.textContent)
      await page.getByRole('button', { name: 'Open broken.txt' }).focus()
      await page.keyboard.press('End')
      expect(await focusedCard()).toContain('photo.png')
      await page.keyboard.press('Home')
      expect(await focusedCard()).toContain('broken.txt')
      await page.getByRole('button', { name: 'Open photo.png' }).focus()
      await page.keyboard.press('Enter')
      await expect.poll(() => page.getByTestId('viewer').isVisible()).toBe(true)
      expect(await violations(page)).toEqual([])
      await page.screenshot({ path: `${SHOTS}/viewer-image-${label}.png` })
      await page.keyboard.press('Escape')
      await expect.poll(() => page.getByTestId('viewer').count()).toBe(1)
      await expect.poll(() => page.locator('dialog[open]').count()).toBe(0)

      await page.getByTestId('workspace').click()
      expect(await violations(page)).toEqual([])
      await page.screenshot({ path: `${SHOTS}/workspace-${label}.png` })
      await context.close()
    })
  }
})
