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
  searchNames,
  tinyPng,
  waitSettled,
} from './app-helpers.ts'
import type { Page } from 'playwright'

const card = (page: Page, name: string) =>
  page.getByTestId('card').filter({ has: page.getByText(name, { exact: true }) })

describe('the app with a batch of good and bad files', () => {
  const browser = useChromium()

  it('shows each file at once, thumbnails for the good and a code for the bad', async () => {
    const tenant = await createTenant()
    const context = await contextFor(browser(), tenant)
    const page = await openApp(context)
    const files = [
      { name: 'red.png', mimeType: 'image/png', buffer: tinyPng(1, 64, 48) },
      { name: 'blue.png', mimeType: 'image/png', buffer: tinyPng(2, 30, 60) },
      {
        name: 'multi-page.pdf',
        mimeType: 'application/pdf',
        buffer: readFileSync(fixture('pdf/multi-page.pdf')),
      },
      { name: 'empty.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(0) },
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image') },
      {
        name: 'truncated.pdf',
        mimeType: 'application/pdf',
        buffer: readFileSync(fixture('pdf/truncated.pdf')),
      },
      {
        name: 'encrypted.pdf',
        mimeType: 'application/pdf',
        buffer: readFileSync(fixture('pdf/encrypted.pdf')),
      },
    ]

    await page.getByTestId('file-input').setInputFiles(files)

    await expect.poll(() => page.getByTestId('card').count(), { timeout: 30_000 }).toBe(7)
    await waitSettled(page, 7)
    await page.screenshot({ path: `${SHOTS}/batch-settled.png` })

    for (const name of ['red.png', 'blue.png', 'multi-page.pdf']) {
      await expect.poll(() => card(page, name).getAttribute('data-state')).toBe('done')
      await expect
        .poll(() => card(page, name).getByTestId('thumbnail').count(), { timeout: 10_000 })
        .toBe(1)
    }
    const failures = { 'empty.jpg': 'empty_file', 'notes.txt': 'unsupported_type' }
    for (const [name, code] of Object.entries(failures)) {
      expect(await card(page, name).getAttribute('data-state')).toBe('failed')
      expect(await card(page, name).locator('.card-error').textContent()).toContain(code)
      expect(
        await card(page, name)
          .getByRole('button', { name: /^Retry/ })
          .count(),
      ).toBe(0)
    }
    expect(await card(page, 'truncated.pdf').getAttribute('data-state')).toBe('failed')
    expect(await page.getByTestId('batch-progress').textContent()).toContain('3 of 7 done')

    const locked = card(page, 'encrypted.pdf')
    expect(await locked.locator('.card-error').textContent()).toContain('encrypted')
    await locked.getByRole('button', { name: /Enter password/ }).click()
    await page.getByRole('textbox', { name: 'Password for encrypted.pdf' }).fill('quire-user')
    await page.getByRole('button', { name: 'Open PDF' }).click()
    await expect.poll(() => locked.getAttribute('data-state'), { timeout: 60_000 }).toBe('done')

    const removedSha = await card(page, 'notes.txt').getAttribute('data-sha256')
    await card(page, 'notes.txt').getByRole('button', { name: 'Remove notes.txt' }).click()
    await expect.poll(() => page.getByTestId('card').count()).toBe(6)
    await expect
      .poll(() => page.getByRole('status').allTextContents())
      .toContain('Removed notes.txt from the workspace.')

    await expect.poll(() => outboxCount(page), { timeout: 60_000 }).toBe(0)
    const documents = await listDocuments(tenant)
    expect(documents).toHaveLength(6)
    expect(
      documents.map((d) => d.sha256),
      'Remove deleted it on the server',
    ).not.toContain(removedSha)
    expect(await searchNames(tenant, 'notes'), 'and from the search index').toEqual([])
    const lockedSha = await locked.getAttribute('data-sha256')
    expect(documents.find((d) => d.sha256 === lockedSha)?.status).toBe('ready')
    expect(
      documents
        .filter((d) => d.status === 'failed')
        .map((d) => d.error?.code)
        .sort(),
    ).toEqual(expect.arrayContaining(['corrupt', 'empty_file']))
    await page.screenshot({ path: `${SHOTS}/batch-done.png` })
    await context.close()
  })

  it('takes files dropped anywhere on the window and pasted into the page', async () => {
    const tenant = await createTenant()
    const context = await contextFor(browser(), tenant)
    const page = await openApp(context)
    const png = [...tinyPng(321, 24, 24)]

    await page.evaluate((bytes) => {
      const data = new DataTransfer()
      data.items.add(new File([new Uint8Array(bytes)], 'dropped.png', { type: 'image/png' }))
      for (const type of ['dragenter', 'dragover', 'drop']) {
        const event = new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true })
        document.querySelector('.grid-scroller')?.dispatchEvent(event)
      }
    }, png)
    await page.evaluate(
      (bytes) => {
        const data = new DataTransfer()
        data.items.add(new File([new Uint8Array(bytes)], 'pasted.png', { type: 'image/png' }))
        document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }))
      },
      [...tinyPng(654, 24, 24)],
    )

    await waitSettled(page, 2)
    const names = await page.locator('[data-testid="card"] .card-name').allTextContents()
    expect(names.sort()).toEqual(['dropped.png', 'pasted.png'])
    expect(await page.locator('.drop-overlay').isHidden()).toBe(true)
    await context.close()
  })

  it('deletes what was removed offline once online, and sends a re-added file again', async () => {
    const tenant = await createTenant()
    const context = await contextFor(browser(), tenant)
    const page = await openApp(context)
    const files = [
      { name: 'keep.png', mimeType: 'image/png', buffer: tinyPng(901, 40, 30) },
      { name: 'drop.png', mimeType: 'image/png', buffer: tinyPng(902, 40, 30) },
    ]
    await page.getByTestId('file-input').setInputFiles(files)
    await waitSettled(page, 2)
    await expect.poll(() => outboxCount(page), { timeout: 60_000 }).toBe(0)
    const dropSha = await card(page, 'drop.png').getAttribute('data-sha256')

    await context.setOffline(true)
    await card(page, 'drop.png').getByRole('button', { name: 'Remove drop.png' }).click()
    await expect.poll(() => outboxCount(page)).toBe(1)
    await page.reload()
    await waitSettled(page, 1)

    await expect.poll(() => outboxCount(page), { timeout: 30_000 }).toBe(1)
    expect(await listDocuments(tenant), 'nothing deleted while offline').toHaveLength(2)

    await context.setOffline(false)

    await expect.poll(() => outboxCount(page), { timeout: 60_000 }).toBe(0)
    const left = await listDocuments(tenant)
    expect(left.map((d) => d.sha256)).not.toContain(dropSha)
    expect(left).toHaveLength(1)

    await page.getByTestId('file-input').setInputFiles([files[1]!])
    await waitSettled(page, 2)

    await expect.poll(() => outboxCount(page), { timeout: 60_000 }).toBe(0)
    await expect
      .poll(async () => (await listDocuments(tenant)).map((d) => d.sha256), { timeout: 30_000 })
      .toContain(dropSha)
    await context.close()
  })

  it('says so when a dropped file is already in the workspace, and makes no second card', async () => {
    const tenant = await createTenant()
    const context = await contextFor(browser(), tenant)
    const page = await openApp(context)
    const red = tinyPng(7, 40, 30)
    await page
      .getByTestId('file-input')
      .setInputFiles([{ name: 'red.png', mimeType: 'image/png', buffer: red }])
    await waitSettled(page, 1)

    await page
      .getByTestId('file-input')
      .setInputFiles([{ name: 'red again.png', mimeType: 'image/png', buffer: red }])

    await expect
      .poll(() => page.getByTestId('batch-progress').textContent())
      .toContain('1 already in this workspace')
    expect(await page.getByTestId('card').count()).toBe(1)
    await context.close()
  })

  it('loses nothing when the page reloads mid-batch', async () => {
    const tenant = await createTenant()
    const context = await contextFor(browser(), tenant)
    const page = await openApp(context)
    const files = Array.from({ length: 16 }, (_, i) => ({
      name: `tile-${i}.png`,
      mimeType: 'image/png',
      buffer: tinyPng(100 + i, 200, 150),
    }))

    await page.getByTestId('file-input').setInputFiles(files)
    await expect.poll(() => page.getByTestId('card').count(), { timeout: 30_000 }).toBe(16)
    await page.reload()

    await waitSettled(page, 16)
    expect(new Set(await cardStates(page))).toEqual(new Set(['done']))
    await expect
      .poll(() => page.locator('[data-state="done"] [data-testid="thumbnail"]').count())
      .toBe(16)
    await expect.poll(() => outboxCount(page), { timeout: 60_000 }).toBe(0)
    expect(await listDocuments(tenant)).toHaveLength(16)
    await context.close()
  })
})
