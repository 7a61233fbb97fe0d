import { describe, expect, it } from 'vitest'
import { useChromium } from './browser.ts'
import { SHOTS, contextFor, createTenant, openApp, tinyPng } from './app-helpers.ts'

const COUNT = 1000

describe('the app with a thousand documents', () => {
  const browser = useChromium()

  it('keeps the DOM small, scrolls to the end and opens the last preview', async () => {
    const tenant = await createTenant()
    const context = await contextFor(browser(), tenant)
    const page = await openApp(context)
    const files = Array.from({ length: COUNT }, (_, i) => ({
      name: `seed-${String(i).padStart(4, '0')}.png`,
      mimeType: 'image/png',
      buffer: tinyPng(i, 8, 8),
    }))
    const started = Date.now()

    await page.getByTestId('file-input').setInputFiles(files)

    const batch = page.getByTestId('batch-progress')
    await expect
      .poll(() => batch.textContent(), { timeout: 170_000, interval: 1000 })
      .toMatch(new RegExp(`^${COUNT} of ${COUNT} done`))
    console.log(`app-scale: ${COUNT} tiny PNGs processed in ${Date.now() - started} ms`)

    const mounted = await page.getByTestId('card').count()
    expect(mounted).toBeGreaterThan(0)
    expect(mounted).toBeLessThan(120)

    const frames = await page.getByTestId('grid').evaluate(async (grid) => {
      const gaps: number[] = []
      let last = performance.now()
      for (let step = 0; step < 60; step++) {
        grid.scrollTop = (grid.scrollHeight * (step + 1)) / 60
        await new Promise(requestAnimationFrame)
        const now = performance.now()
        gaps.push(now - last)
        last = now
      }
      return gaps.sort((a, b) => a - b)
    })
    console.log(
      `app-scale: scroll frame gaps median ${frames[30]?.toFixed(1)} ms, worst ${frames.at(-1)?.toFixed(1)} ms`,
    )

    const lastCard = page.locator(`[data-testid="card"][aria-posinset="${COUNT}"]`)
    await expect.poll(() => lastCard.count()).toBe(1)
    await expect.poll(() => lastCard.getByTestId('thumbnail').count(), { timeout: 15_000 }).toBe(1)
    expect(await page.getByTestId('card').count()).toBeLessThan(120)
    expect(await page.getByTestId('thumbnail').count()).toBeLessThanOrEqual(
      await page.getByTestId('card').count(),
    )
    await page.screenshot({ path: `${SHOTS}/scale-end.png` })

    await lastCard.locator('.card-open').click()

    const viewer = page.getByTestId('viewer')
    await expect.poll(() => viewer.getByTestId('preview').getAttribute('src')).toMatch(/^blob:/)
    expect(await viewer.textContent()).toContain('8 × 8 px')
    await page.screenshot({ path: `${SHOTS}/scale-preview.png` })
    await context.close()
  })
})
