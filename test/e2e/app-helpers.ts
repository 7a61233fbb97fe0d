import { mkdirSync } from 'node:fs'
import { deflateSync } from 'node:zlib'
import { expect, inject } from 'vitest'
import { crc32 } from '../crc32.ts'
import type { Browser, BrowserContext, Page } from 'playwright'

/** Where screenshots of the main screens go (ignored by git, kept as CI artifacts). */
export const SHOTS = 'test-results/app'
mkdirSync(SHOTS, { recursive: true })

export const fixture = (path: string) => new URL(`../fixtures/${path}`, import.meta.url).pathname

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const out = Buffer.alloc(body.length + 8)
  out.writeUInt32BE(data.length, 0)
  body.copy(out, 4)
  out.writeUInt32BE(crc32(body), body.length + 4)
  return out
}

/** A valid RGB PNG whose pixels depend on `seed`, so every seed hashes differently. */
export function tinyPng(seed: number, width = 12, height = 8): Buffer {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8)
  const rows = Buffer.alloc((width * 3 + 1) * height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = y * (width * 3 + 1) + 1 + x * 3
      rows.set([(seed * 37 + x * 20) & 255, (seed >> 8) & 255, (seed * 11 + y * 30) & 255], at)
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', new Uint8Array()),
  ])
}

export interface Tenant {
  id: string
  token: string
}

/** A fresh tenant through the admin API, so each test starts with an empty workspace. */
export async function createTenant(): Promise<Tenant> {
  const res = await fetch(`${inject('baseUrl')}/v1/tenants`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${inject('adminToken')}`,
      'content-type': 'application/json',
    },
    body: '{}',
  })
  expect(res.status).toBe(201)
  return (await res.json()) as Tenant
}

/** A browser context whose page starts connected to `tenant` (as after "Connect"). */
export async function contextFor(
  browser: Browser,
  tenant: Tenant,
  viewport = { width: 1280, height: 800 },
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport })
  await context.addInitScript(
    ([id, token]) => {
      if (localStorage.getItem('quire.workspaces')) return
      localStorage.setItem('quire.workspaces', JSON.stringify([{ tenant: id, token }]))
      localStorage.setItem('quire.workspace', id)
    },
    [tenant.id, tenant.token] as const,
  )
  return context
}

/** Opens the app and waits until its service worker controls the page. */
export async function openApp(context: BrowserContext): Promise<Page> {
  const page = await context.newPage()
  await page.goto(inject('baseUrl'))
  await page.waitForSelector('html[data-sw="ready"]', { timeout: 60_000 })
  await page.waitForSelector('[data-testid="file-input"]', { state: 'attached' })
  return page
}

/** The states of the cards on screen, in order. */
export function cardStates(page: Page): Promise<string[]> {
  return page
    .getByTestId('card')
    .evaluateAll((nodes) => nodes.map((node) => (node as HTMLElement).dataset.state ?? ''))
}

/** Waits until `count` cards exist and none is queued or running. */
export async function waitSettled(page: Page, count: number, timeout = 120_000): Promise<void> {
  await expect
    .poll(
      async () => {
        const states = await cardStates(page)
        return states.length === count && states.every((s) => s !== 'queued' && s !== 'running')
      },
      { timeout },
    )
    .toBe(true)
}

/** The tenant's documents as the API lists them. */
export async function listDocuments(
  tenant: Tenant,
): Promise<{ sha256: string; status: string; error?: { code: string } }[]> {
  const items: { sha256: string; status: string; error?: { code: string } }[] = []
  let cursor: string | null = null
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
    const res = await fetch(`${inject('baseUrl')}/v1/documents?limit=100${query}`, {
      headers: { authorization: `Bearer ${tenant.token}` },
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { items: typeof items; next: string | null }
    items.push(...body.items)
    cursor = body.next
  } while (cursor)
  return items
}

/** The names the API's search finds for `q`. */
export async function searchNames(tenant: Tenant, q: string): Promise<string[]> {
  const res = await fetch(`${inject('baseUrl')}/v1/search?${new URLSearchParams({ q })}`, {
    headers: { authorization: `Bearer ${tenant.token}` },
  })
  expect(res.status).toBe(200)
  return ((await res.json()) as { items: { name: string }[] }).items.map((item) => item.name)
}

/** The outbox count the header shows. */
export async function outboxCount(page: Page): Promise<number> {
  // No count yet (the outbox is still reading its store) is not zero.
  const count = await page.getByTestId('outbox').getAttribute('data-count')
  return count === null ? Number.NaN : Number(count)
}
