import { createHash } from 'node:crypto'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { contextFor, createTenant, listDocuments, openApp, waitSettled } from './app-helpers.ts'
import { useChromium } from './browser.ts'

const shared = fileURLToPath(new URL('../../../shared/', import.meta.url))
const corpus = `${shared}corpus/`
const cases = `${shared}cases/files/`

/** What the cases' LOG.md rows expect of each crafted file; everything else must be ready. */
const EXPECTED_FAILURES: Record<string, string> = {
  'c07-bomb-24000x24000.png': 'too_many_pixels',
  'c08-not-an-image.jpg': 'unsupported_type',
  'c08-empty.png': 'empty_file',
  'c09-encrypted-user-password.pdf': 'encrypted',
  'c14-empty-body.json': 'empty_file',
  'c14-malformed-metadata.json': 'unsupported_type',
}

const listFiles = (folder: string) =>
  existsSync(folder)
    ? readdirSync(folder)
        .filter((name) => !name.endsWith('.md'))
        .map((name) => `${folder}${name}`)
    : []

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex')

describe.skipIf(!existsSync(corpus))('the shared corpus and cases, dropped at once', () => {
  const browser = useChromium()

  it('ends with every file done or failed with its code, across a reload mid-batch', async () => {
    const files = [...listFiles(corpus), ...listFiles(cases)]
    const byHash = new Map<string, string>()
    for (const file of files) byHash.set(sha256(file), file.split('/').pop()!)
    const tenant = await createTenant()
    const context = await contextFor(browser(), tenant)
    const page = await openApp(context)
    const started = Date.now()

    await page.getByTestId('file-input').setInputFiles(files)
    await expect
      .poll(() => page.locator('[data-testid="card"][data-state="done"]').count(), {
        timeout: 120_000,
      })
      .toBeGreaterThanOrEqual(3)
    const answered = await page.evaluate(() => document.readyState)
    expect(answered, 'the page answers while the batch runs').toBe('complete')
    await page.reload()
    await waitSettled(page, byHash.size, 600_000)
    const seconds = (Date.now() - started) / 1000

    const cores = await page.evaluate(() => navigator.hardwareConcurrency)
    console.log(
      `corpus + cases: ${files.length} files (${byHash.size} distinct) settled in ` +
        `${seconds.toFixed(1)} s with the default pool on ${cores} cores, one reload included`,
    )
    const documents = await expect
      .poll(
        async () => {
          const listed = await listDocuments(tenant)
          return listed.length === byHash.size ? listed : []
        },
        { timeout: 120_000 },
      )
      .toHaveLength(byHash.size)
      .then(() => listDocuments(tenant))
    for (const document of documents) {
      const name = byHash.get(document.sha256)!
      const expected = EXPECTED_FAILURES[name]
      if (expected) expect(document.error?.code, name).toBe(expected)
      else expect(document.status, name).toBe('ready')
    }
    await context.close()
  })
})
