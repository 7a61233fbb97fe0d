import type { IDBPTransaction } from 'idb'
import type { Job } from '../jobs/job'
import type { QuireDB, QuireDatabase, StoredResult } from './db'

type ResultTransaction = IDBPTransaction<
  QuireDB,
  ('jobs' | 'results' | 'thumbnails')[],
  'readwrite'
>

/** Writes a job's result, its thumbnail apart, or deletes both when there is none. */
function writeResult(tx: ResultTransaction, id: string, result: StoredResult | undefined) {
  const results = tx.objectStore('results')
  const thumbnails = tx.objectStore('thumbnails')
  if (!result) return Promise.all([results.delete(id), thumbnails.delete(id)])
  const { thumbnail, ...record } = result
  return Promise.all([
    results.put(record),
    thumbnail
      ? thumbnails.put({ id, tenant: result.tenant, blob: thumbnail })
      : thumbnails.delete(id),
  ])
}

/** Every job of one tenant, in no particular order. */
export function loadJobs(db: QuireDatabase, tenant: string): Promise<Job[]> {
  return db.getAllFromIndex('jobs', 'by-tenant', tenant)
}

export async function putJob(db: QuireDatabase, job: Job): Promise<void> {
  await db.put('jobs', job)
}

/** Writes a job and, when given, its result in one transaction: both land or neither does. */
export async function putJobAndResult(
  db: QuireDatabase,
  job: Job,
  result: StoredResult | undefined,
): Promise<void> {
  const tx = db.transaction(['jobs', 'results', 'thumbnails'], 'readwrite')
  await Promise.all([tx.objectStore('jobs').put(job), writeResult(tx, job.id, result), tx.done])
}

/**
 * Marks a job `running` only if the store still has it `queued`. IndexedDB serialises
 * read-write transactions on a store, across tabs too, so two pages on one tenant never both
 * start the same job.
 *
 * @returns `null` when the run is claimed, else the stored job (undefined if it was removed).
 */
export async function claimRun(db: QuireDatabase, job: Job): Promise<Job | null | undefined> {
  const tx = db.transaction('jobs', 'readwrite')
  const stored = await tx.store.get(job.id)
  if (stored?.state !== 'queued') {
    await tx.done
    return stored
  }
  await Promise.all([tx.store.put(job), tx.done])
  return null
}

/**
 * Records how a run ended, only if the stored job is still in that run (`running`, same attempt
 * count). Otherwise another page took the job over, and its record wins: a job finishes once.
 *
 * @returns whether the outcome was written.
 */
export async function finishRun(
  db: QuireDatabase,
  job: Job,
  result: StoredResult | undefined,
): Promise<boolean> {
  const tx = db.transaction(['jobs', 'results', 'thumbnails'], 'readwrite')
  const jobs = tx.objectStore('jobs')
  const stored = await jobs.get(job.id)
  if (!stored || stored.state !== 'running' || stored.attempts !== job.attempts) {
    await tx.done
    return false
  }
  await Promise.all([jobs.put(job), writeResult(tx, job.id, result), tx.done])
  return true
}

/** Stores a new job together with its original file. */
export async function putJobAndOriginal(db: QuireDatabase, job: Job, file: Blob): Promise<void> {
  const tx = db.transaction(['jobs', 'originals'], 'readwrite')
  await Promise.all([
    tx.objectStore('jobs').put(job),
    tx.objectStore('originals').put({ id: job.id, tenant: job.tenant, file }),
    tx.done,
  ])
}

/** Deletes a job with its result, thumbnail and original. */
export async function deleteJob(db: QuireDatabase, id: string): Promise<void> {
  const tx = db.transaction(['jobs', 'results', 'thumbnails', 'originals'], 'readwrite')
  await Promise.all([
    tx.objectStore('jobs').delete(id),
    tx.objectStore('results').delete(id),
    tx.objectStore('thumbnails').delete(id),
    tx.objectStore('originals').delete(id),
    tx.done,
  ])
}

/** A job's whole result, its thumbnail read back from its own store. */
export async function loadResult(db: QuireDatabase, id: string): Promise<StoredResult | undefined> {
  const tx = db.transaction(['results', 'thumbnails'])
  const [record, thumbnail] = await Promise.all([
    tx.objectStore('results').get(id),
    tx.objectStore('thumbnails').get(id),
    tx.done,
  ])
  if (!record) return undefined
  return thumbnail ? { ...record, thumbnail: thumbnail.blob } : record
}

/** Whether `error` is the browser saying the origin's storage quota is used up. */
export function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'QuotaExceededError'
}
