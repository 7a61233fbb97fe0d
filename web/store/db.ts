import { openDB } from 'idb'
import type { DBSchema, IDBPDatabase, IDBPObjectStore, StoreNames } from 'idb'
import type { Job, JobResult } from '../jobs/job'

/** The current schema version; `upgrade` below has one branch per step up to it. */
export const DB_VERSION = 2

/** An original file kept so a job can run (again) after a reload. */
export interface StoredOriginal {
  /** The job id, `${tenant}:${sha256}`. */
  id: string
  tenant: string
  file: Blob
}

/** A finished job's result, keyed like its job. */
export interface StoredResult extends JobResult {
  id: string
  tenant: string
}

/**
 * Every store, key and index. Keys begin with the tenant, and every store has a tenant index, so
 * one tenant's data is never read on behalf of another.
 *
 * - v1: `jobs` (by tenant) and `results`.
 * - v2: `originals`, so queued jobs survive a reload with their file; results indexed by
 *   tenant, with the tenant field filled in on v1 records.
 */
export interface QuireDB extends DBSchema {
  jobs: {
    key: string
    value: Job
    indexes: { 'by-tenant': string }
  }
  results: {
    key: string
    value: StoredResult
    indexes: { 'by-tenant': string }
  }
  originals: {
    key: string
    value: StoredOriginal
    indexes: { 'by-tenant': string }
  }
}

export type QuireDatabase = IDBPDatabase<QuireDB>

type UpgradeResults = IDBPObjectStore<QuireDB, StoreNames<QuireDB>[], 'results', 'versionchange'>

async function backfillResultTenants(results: UpgradeResults): Promise<void> {
  for (let cursor = await results.openCursor(); cursor; cursor = await cursor.continue()) {
    const value = cursor.value
    if (value.tenant === undefined) {
      await cursor.update({ ...value, tenant: value.id.slice(0, value.id.lastIndexOf(':')) })
    }
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
      if (oldVersion < 1) {
        const jobs = db.createObjectStore('jobs', { keyPath: 'id' })
        jobs.createIndex('by-tenant', 'tenant')
        db.createObjectStore('results', { keyPath: 'id' })
      }
      if (oldVersion < 2) {
        transaction.objectStore('results').createIndex('by-tenant', 'tenant')
        db.createObjectStore('originals', { keyPath: 'id' }).createIndex('by-tenant', 'tenant')
        // v1 results carried no tenant field; the index only sees records that have one.
        void backfillResultTenants(transaction.objectStore('results'))
      }
    },
  })
  db.addEventListener('versionchange', () => db.close())
  return db
}
