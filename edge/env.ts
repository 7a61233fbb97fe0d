import type { TenantStore } from './objects/tenant-store'

/** Bindings and variables from wrangler.jsonc. */
export interface Env {
  TENANTS: DurableObjectNamespace<TenantStore>
  THUMBNAILS: R2Bucket
  ASSETS: Fetcher
  ENVIRONMENT?: string
  QUIRE_DEV_TOKEN?: string
  QUIRE_ADMIN_TOKEN?: string
}
