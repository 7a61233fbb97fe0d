import { openDB } from 'idb'
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb'
import type { Job, JobResult } from '../jobs/job'

/** The current schema version; `upgrade` below has one branch per step up to it. */
export const DB_VERSION = 3

/** An original file kept so a job can run (again) after a reload. */
export interface StoredOriginal {
  /** The job id, `${tenant}:${sha256}`. */
  id: string
  tenant: string
  file: Blob
}

/** A finished job's result, keyed like its job, as the store functions take and give it. */
export interface StoredResult extends JobResult {
  id: string
  tenant: string
}

/** What the `results` store holds: a result without its thumbnail, which has its own store. */
export type ResultRecord = Omit<StoredResult, 'thumbnail'>

/** A finished job's thumbnail, apart from the rest so the grid reads only these few KB. */
export interface StoredThumbnail {
  id: string
  tenant: string
  blob: Blob
}

/**
 * Every store, key and index. Keys begin with the tenant, and every store has a tenant index, so
 * one tenant's data is never read on behalf of another.
 *
 * - v1: `jobs` (by tenant) and `results`.
 * - v2: `originals`, so queued jobs survive a reload with their file; results indexed by
 *   tenant, with the tenant field filled in on v1 records.
 * - v3: `thumbnails`, moved out of `results`: reading a result also deserialises its text (up
 *   to 2 MB for a PDF), which a grid of a thousand thumbnails should not pay for.
 */
export interface QuireDB extends DBSchema {
  jobs: {
    key: string
    value: Job
    indexes: { 'by-tenant': string }
  }
  results: {
    key: string
    value: ResultRecord
    indexes: { 'by-tenant': string }
  }
  thumbnails: {
    key: string
    value: StoredThumbnail
    indexes: { 'by-tenant': string }
  }
  originals: {
    key: string
    value: StoredOriginal
    indexes: { 'by-tenant': string }
  }
}

export type QuireDatabase = IDBPDatabase<QuireDB>

type UpgradeTransaction = IDBPTransaction<QuireDB, StoreNames<QuireDB>[], 'versionchange'>

async function backfillResultTenants(tx: UpgradeTransaction): Promise<void> {
  const results = tx.objectStore('results')
  for (let cursor = await results.openCursor(); cursor; cursor = await cursor.continue()) {
    const value = cursor.value
    if (value.tenant === undefined) {
      await cursor.update({ ...value, tenant: value.id.slice(0, value.id.lastIndexOf(':')) })
    }
  }
}

async function moveThumbnails(tx: UpgradeTransaction): Promise<void> {
  const results = tx.objectStore('results')
  const thumbnails = tx.objectStore('thumbnails')
  for (let cursor = await results.openCursor(); cursor; cursor = await cursor.continue()) {
    // Records before v3 still carry the thumbnail the v3 type leaves out.
    const { thumbnail, ...rest } = cursor.value as StoredResult
    if (!thumbnail) continue
    await thumbnails.put({ id: rest.id, tenant: rest.tenant, blob: thumbnail })
    await cursor.update(rest)
  }
}

/**
 * Opens (creating or upgrading) the Quire database.
 *
 * Another tab holding an older version blocks the upgrade until it closes; an open connection
 * here closes itself when a newer page asks to upgrade, so it never blocks that page in turn.
 */
export async function openStore(name: string): Promise<QuireDatabase> {
  const db = await openDB<QuireDB>(name, DB_VERSION, {
    blocked(currentVersion) {
      // The open waits until that tab closes or reloads; say why the page seems stuck.
      console.warn(`openStore:${name}`, `another tab holds version ${currentVersion} open`)
    },
    upgrade(db, oldVersion, _newVersion, transaction) {
      // Data moves run one after another: two cursors rewriting the same records would race.
      // Only IndexedDB requests are awaited between them, so the transaction stays active.
      let moves = Promise.resolve()
      if (oldVersion < 1) {
        const jobs = db.createObjectStore('jobs', { keyPath: 'id' })
        jobs.createIndex('by-tenant', 'tenant')
        db.createObjectStore('results', { keyPath: 'id' })
      }
      if (oldVersion < 2) {
        transaction.objectStore('results').createIndex('by-tenant', 'tenant')
        db.createObjectStore('originals', { keyPath: 'id' }).createIndex('by-tenant', 'tenant')
        // v1 results carried no tenant field; the index only sees records that have one.
        moves = moves.then(() => backfillResultTenants(transaction))
      }
      if (oldVersion < 3) {
        db.createObjectStore('thumbnails', { keyPath: 'id' }).createIndex('by-tenant', 'tenant')
        moves = moves.then(() => moveThumbnails(transaction))
      }
      void moves
    },
  })
  db.addEventListener('versionchange', () => db.close())
  return db
}
