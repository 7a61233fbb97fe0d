import { env } from 'cloudflare:workers'
import { runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { MIGRATIONS, SCHEMA_VERSION, migrate } from '../../edge/objects/migrations'
import { sha256Hex } from '../../edge/tokens'
import { auth, call, createTenant, docBody, json, putDoc, putThumb, sha, webp } from './helpers'

/** Writes an object exactly as version 1 of the schema left it, with three documents. */
async function seedVersion1(tenant: string, tokenHash: string) {
  const stub = env.TENANTS.get(env.TENANTS.idFromName(tenant))
  await runInDurableObject(stub, (_instance, state) => {
    const sql = state.storage.sql
    sql.exec(
      'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
    )
    sql.exec(MIGRATIONS[0]!.sql)
    sql.exec("INSERT INTO schema_migrations VALUES (1, '2026-01-01T00:00:00.000Z')")
    sql.exec(
      "INSERT INTO meta VALUES ('tenant', ?), ('created_at', '2026-01-01T00:00:00.000Z')",
      tenant,
    )
    sql.exec(
      "INSERT INTO tokens VALUES ('0123456789ab', ?, '2026-01-01T00:00:00.000Z', NULL)",
      tokenHash,
    )
    for (const [n, name, text] of [
      [1, 'old-invoice.pdf', 'Invoice for the lighthouse repairs'],
      [2, 'old-photo.jpg', null],
      [3, 'old-minutes.pdf', 'Minutes of the harbour meeting'],
    ] as const) {
      sql.exec(
        `INSERT INTO documents (sha256, name, mime, bytes, kind, status, text, text_bytes,
           created_at, updated_at)
         VALUES (?, ?, 'application/pdf', 100, 'pdf', 'ready', ?, ?, ?, ?)`,
        sha(n),
        name,
        text,
        text?.length ?? 0,
        `2026-01-0${n}T00:00:00.000Z`,
        `2026-01-0${n}T00:00:00.000Z`,
      )
    }
  })
  return stub
}

describe('schema migrations', () => {
  it('upgrade a version 1 object in place on its next request, rows and token kept', async () => {
    const tenant = 'legacy'
    const token = `qt_${tenant}_0123456789ab_${'L'.repeat(43)}`
    const stub = await seedVersion1(tenant, await sha256Hex(token))

    const list = await json(await call('/v1/documents', { headers: auth(token) }))
    const hits = await json(await call('/v1/search?q=harbour', { headers: auth(token) }))
    const one = await json(
      await call(`/v1/documents/${sha(1)}?include=text`, { headers: auth(token) }),
    )
    const usage = await json(await call('/v1/usage', { headers: auth(token) }))

    expect(list.items.map((doc: { name: string }) => doc.name)).toEqual([
      'old-minutes.pdf',
      'old-photo.jpg',
      'old-invoice.pdf',
    ])
    expect(hits.items.map((hit: { sha256: string }) => hit.sha256)).toEqual([sha(3)])
    expect(usage).toMatchObject({ tenant, documents: 3, failed: 0, textBytes: 64 })
    expect(one).toMatchObject({
      text: 'Invoice for the lighthouse repairs',
      textTruncated: false,
      thumbnail: false,
      createdAt: '2026-01-01T00:00:00.000Z',
    })
    const schema = await runInDurableObject(stub, (_instance, state) => ({
      version: state.storage.sql
        .exec<{ v: number }>('SELECT max(version) AS v FROM schema_migrations')
        .one().v,
      documents: state.storage.sql
        .exec<{ sql: string }>("SELECT sql FROM sqlite_master WHERE name = 'documents'")
        .one().sql,
    }))
    expect(schema.version).toBe(SCHEMA_VERSION)
    expect(schema.documents).not.toMatch(/\btext TEXT\b/)
  })

  it('apply each step once', async () => {
    const stub = env.TENANTS.get(env.TENANTS.idFromName('fresh-migrations'))

    const runs = await runInDurableObject(stub, (_instance, state) => [
      migrate(state.storage),
      migrate(state.storage),
    ])

    expect(runs).toEqual([MIGRATIONS.map((step) => step.version), []])
  })

  it('are numbered 1, 2, 3… without gaps', () => {
    expect(MIGRATIONS.map((step) => step.version)).toEqual(MIGRATIONS.map((_step, i) => i + 1))
  })
})

describe('running totals', () => {
  it('match a full count after creates, updates, thumbnails, failures and deletes', async () => {
    const tenant = await createTenant()
    for (let n = 1; n <= 6; n++)
      await putDoc(tenant.token, sha(n), docBody({ text: 'x'.repeat(n) }))
    await putDoc(tenant.token, sha(2), docBody({ text: 'longer text now' }))
    await putDoc(tenant.token, sha(3), {
      ...docBody({ text: undefined }),
      status: 'failed',
      error: { code: 'corrupt', message: 'bad xref' },
    })
    await putThumb(tenant.token, sha(4), webp(80))
    await putThumb(tenant.token, sha(4), webp(40))
    await putThumb(tenant.token, sha(5), webp(64))
    await call(`/v1/documents/${sha(5)}`, { method: 'DELETE', headers: auth(tenant.token) })
    await call(`/v1/documents/${sha(1)}`, { method: 'DELETE', headers: auth(tenant.token) })

    const usage = await json(await call('/v1/usage', { headers: auth(tenant.token) }))

    const stub = env.TENANTS.get(env.TENANTS.idFromName(tenant.id))
    const counted = await runInDurableObject(stub, (_instance, state) =>
      state.storage.sql
        .exec(
          `SELECT count(*) AS documents, sum(status = 'failed') AS failed,
             sum(text_bytes) AS textBytes, sum(thumbnail_bytes) AS thumbnailBytes
           FROM documents`,
        )
        .one(),
    )
    expect(counted).toEqual({ documents: 4, failed: 1, textBytes: 15 + 4 + 6, thumbnailBytes: 40 })
    expect(usage).toMatchObject(counted)
  })
})
