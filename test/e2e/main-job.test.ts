import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, inject, it } from 'vitest'
import { createTenant } from './app-helpers.ts'
import { useChromium } from './browser.ts'

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url))

/** One real file of each kind the spine must handle, from the project's own fixtures. */
function spineFiles(): string[] {
  const pick = (folder: string, pattern: RegExp) => {
    const names = readdirSync(`${fixtures}${folder}`).filter((name) => pattern.test(name))
    return names
      .sort()
      .slice(0, 1)
      .map((name) => `${fixtures}${folder}/${name}`)
  }
  return [
    ...pick('images', /^jpeg-baseline-.*\.jpg$/),
    ...pick('images', /^png-rgb-.*\.png$/),
    ...pick('images', /^webp-lossy-.*\.webp$/),
    ...pick('pdf', /^multi-page\.pdf$/),
  ]
}

describe('the main job, end to end', () => {
  const browser = useChromium()
  const baseUrl = inject('baseUrl')
  const devToken = inject('devToken')

  it('turns dropped files into thumbnails that survive a reload and reach the API', async () => {
    const files = spineFiles()
    expect(files.length, 'a JPEG, PNG, WebP and PDF fixture exist').toBe(4)
    const page = await browser().newPage()
    await page.goto(baseUrl)

    await page.getByTestId('file-input').setInputFiles(files)

    const cards = page.getByTestId('card')
    await expect.poll(() => cards.count(), { timeout: 30_000 }).toBe(files.length)
    const thumbnails = page.locator(
      '[data-testid="card"][data-state="done"] [data-testid="thumbnail"]',
    )
    await expect.poll(() => thumbnails.count(), { timeout: 120_000 }).toBe(files.length)

    await page.reload()

    await expect.poll(() => thumbnails.count(), { timeout: 30_000 }).toBe(files.length)
    const shas = await cards.evaluateAll((nodes) =>
      nodes.map((node) => (node as HTMLElement).dataset.sha256),
    )

    await expect
      .poll(
        async () => {
          const res = await fetch(`${baseUrl}/v1/documents?limit=100`, {
            headers: { authorization: `Bearer ${devToken}` },
          })
          const body = (await res.json()) as { items: { sha256: string; status: string }[] }
          return body.items.map((item) => item.sha256).sort()
        },
        { timeout: 60_000 },
      )
      .toEqual([...shas].sort())
    const thumb = await fetch(`${baseUrl}/v1/documents/${shas[0]}/thumbnail`, {
      headers: { authorization: `Bearer ${devToken}` },
    })
    expect(thumb.status).toBe(200)
    expect(thumb.headers.get('content-type')).toBe('image/webp')

    const other = await createTenant()
    const res = await fetch(`${baseUrl}/v1/documents`, {
      headers: { authorization: `Bearer ${other.token}` },
    })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { items: unknown[] }).items).toEqual([])
    await page.close()
  })
})
