import type { TenantStore } from './objects/tenant-store'

/** Bindings and variables from wrangler.jsonc. */
export interface Env {
  TENANTS: DurableObjectNamespace<TenantStore>
  THUMBNAILS: R2Bucket
  ASSETS: Fetcher
  ENVIRONMENT?: string
  QUIRE_DEV_TOKEN?: string
  QUIRE_ADMIN_TOKEN?: string
  /** Comma-separated origins allowed to call the API cross-origin; none by default. */
  QUIRE_ALLOWED_ORIGINS?: string
}
