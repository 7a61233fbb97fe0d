import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { useChromium } from './browser.ts'
import {
  SHOTS,
  contextFor,
  createTenant,
  fixture,
  openApp,
  outboxCount,
  tinyPng,
  waitSettled,
} from './app-helpers.ts'

describe('the app search', () => {
  const browser = useChromium()

  it('finds a PDF by a word in its text and opens it; offline it filters names', async () => {
    const tenant = await createTenant()
    const context = await contextFor(browser(), tenant)
    const page = await openApp(context)
    await page.getByTestId('file-input').setInputFiles([
      {
        name: 'fixture.pdf',
        mimeType: 'application/pdf',
        buffer: readFileSync(fixture('pdf/multi-page.pdf')),
      },
      { name: 'holiday.png', mimeType: 'image/png', buffer: tinyPng(900) },
    ])
    await waitSettled(page, 2)
    await expect.poll(() => outboxCount(page), { timeout: 60_000 }).toBe(0)
    const sha = await page
      .getByTestId('card')
      .filter({ hasText: 'fixture.pdf' })
      .getAttribute('data-sha256')

    await page.getByTestId('search').fill('hello')

    const result = page.getByTestId('search-result')
    await expect.poll(() => result.count(), { timeout: 15_000 }).toBe(1)
    expect(await result.getAttribute('data-sha256')).toBe(sha)
    expect((await result.locator('mark').allTextContents()).map((t) => t.toLowerCase())).toContain(
      'hello',
    )
    await page.screenshot({ path: `${SHOTS}/search.png` })

    await result.getByRole('button', { name: 'fixture.pdf' }).click()
    const viewer = page.getByTestId('viewer')
    await expect.poll(() => viewer.isVisible()).toBe(true)
    await expect
      .poll(() => viewer.locator('.pdf-text').textContent())
      .toContain('Second page says hello.')
    await expect.poll(() => viewer.getByTestId('preview').getAttribute('src')).toMatch(/^blob:/)
    await viewer.getByRole('button', { name: 'Next page' }).click()
    await expect.poll(() => viewer.locator('.page-label').textContent()).toBe('Page 2 of 3')
    await expect
      .poll(() => viewer.getByTestId('preview').getAttribute('alt'), { timeout: 30_000 })
      .toBe('Page 2 of fixture.pdf')
    await page.screenshot({ path: `${SHOTS}/viewer-pdf.png` })
    await page.keyboard.press('Escape')

    await context.setOffline(true)
    await page.getByTestId('search').fill('holi')

    await expect.poll(() => page.getByTestId('card').count()).toBe(1)
    expect(await page.getByTestId('search-results').textContent()).toContain('Offline')
    await context.close()
  })
})
