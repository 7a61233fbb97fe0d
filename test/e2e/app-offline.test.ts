import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from './browser.ts'
import {
  SHOTS,
  cardStates,
  contextFor,
  createTenant,
  listDocuments,
  openApp,
  outboxCount,
  tinyPng,
  waitSettled,
} from './app-helpers.ts'
import type { Browser } from 'playwright'

describe('the app offline', () => {
  let browser: Browser

  beforeAll(async () => {
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
  })

  it('processes files with the network cut, survives a reload, and syncs when back', async () => {
    const tenant = await createTenant()
    const context = await contextFor(browser, tenant)
    const page = await openApp(context)
    await context.setOffline(true)
    const files = Array.from({ length: 4 }, (_, i) => ({
      name: `offline-${i}.png`,
      mimeType: 'image/png',
      buffer: tinyPng(500 + i, 80, 60),
    }))

    await page.getByTestId('file-input').setInputFiles(files)

    await waitSettled(page, 4)
    expect(new Set(await cardStates(page))).toEqual(new Set(['done']))
    await expect.poll(() => outboxCount(page)).toBe(8)
    expect(await page.getByTestId('outbox').textContent()).toContain('Offline')
    expect(await listDocuments(tenant)).toHaveLength(0)

    await page.reload()
    await waitSettled(page, 4)
    await expect
      .poll(() => page.locator('[data-state="done"] [data-testid="thumbnail"]').count())
      .toBe(4)
    await expect.poll(() => outboxCount(page)).toBe(8)
    await page.screenshot({ path: `${SHOTS}/offline.png` })

    await context.setOffline(false)

    await expect.poll(() => outboxCount(page), { timeout: 60_000 }).toBe(0)
    const documents = await listDocuments(tenant)
    expect(documents).toHaveLength(4)
    expect(new Set(documents.map((d) => d.status))).toEqual(new Set(['ready']))
    await context.close()
  })
})
