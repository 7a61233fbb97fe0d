import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { useChromium } from './browser.ts'
import {
  SHOTS,
  cardStates,
  contextFor,
  createTenant,
  fixture,
  listDocuments,
  openApp,
  outboxCount,
  tinyPng,
  waitSettled,
} from './app-helpers.ts'

describe('the app offline', () => {
  const browser = useChromium()

  it('processes files with the network cut, survives a reload, and syncs when back', async () => {
    const tenant = await createTenant()
    const context = await contextFor(browser(), tenant)
    const page = await openApp(context)
    await context.setOffline(true)
    const files = [
      ...Array.from({ length: 4 }, (_, i) => ({
        name: `offline-${i}.png`,
        mimeType: 'image/png',
        buffer: tinyPng(500 + i, 80, 60),
      })),
      // Non-embedded Helvetica: rendering needs pdf.js standard fonts from the precache.
      ...['standard-font.pdf', 'multi-page.pdf'].map((name) => ({
        name,
        mimeType: 'application/pdf',
        buffer: readFileSync(fixture(`pdf/${name}`)),
      })),
    ]

    await page.getByTestId('file-input').setInputFiles(files)

    await waitSettled(page, 6)
    expect(new Set(await cardStates(page))).toEqual(new Set(['done']))
    await expect.poll(() => outboxCount(page)).toBe(12)
    expect(await page.getByTestId('outbox').textContent()).toContain('Offline')
    expect(await listDocuments(tenant)).toHaveLength(0)

    await page.reload()
    await waitSettled(page, 6)
    await expect
      .poll(() => page.locator('[data-state="done"] [data-testid="thumbnail"]').count())
      .toBe(6)
    await expect.poll(() => outboxCount(page)).toBe(12)
    await page.screenshot({ path: `${SHOTS}/offline.png` })

    await page.getByRole('button', { name: 'Open multi-page.pdf' }).click()
    const viewer = page.getByTestId('viewer')
    await viewer.getByRole('button', { name: 'Next page' }).click()
    await expect
      .poll(() => viewer.getByTestId('preview').getAttribute('alt'), { timeout: 30_000 })
      .toBe('Page 2 of multi-page.pdf')
    await page.keyboard.press('Escape')

    await context.setOffline(false)

    await expect.poll(() => outboxCount(page), { timeout: 60_000 }).toBe(0)
    const documents = await listDocuments(tenant)
    expect(documents).toHaveLength(6)
    expect(new Set(documents.map((d) => d.status))).toEqual(new Set(['ready']))
    await context.close()
  })

  it('asks to reconnect when the token is refused, then syncs after connecting', async () => {
    const tenant = await createTenant()
    const context = await contextFor(browser(), { id: tenant.id, token: 'revoked-token' })
    const page = await openApp(context)

    await page
      .getByTestId('file-input')
      .setInputFiles([{ name: 'kept.png', mimeType: 'image/png', buffer: tinyPng(700, 40, 40) }])

    await waitSettled(page, 1)
    const message = page.locator('.workspace-message')
    await expect.poll(() => message.textContent(), { timeout: 30_000 }).toContain('refused')
    expect(await page.getByTestId('outbox').textContent()).toContain('Reconnect')
    await page.screenshot({ path: `${SHOTS}/reconnect.png` })

    await page.getByTestId('token-input').fill(tenant.token)
    await page.getByRole('button', { name: 'Connect' }).click()

    await waitSettled(page, 1)
    await expect.poll(() => outboxCount(page), { timeout: 60_000 }).toBe(0)
    expect(await listDocuments(tenant)).toHaveLength(1)
    await context.close()
  })
})
