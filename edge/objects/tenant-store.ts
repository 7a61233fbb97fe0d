import { DurableObject } from 'cloudflare:workers'
import type { Env } from '../env'

/** One tenant's documents, text index, usage and limits, in this object's SQLite storage. */
export class TenantStore extends DurableObject<Env> {}
