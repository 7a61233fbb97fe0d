import { app } from './app'

export { TenantStore } from './objects/tenant-store'

export default { fetch: app.fetch } satisfies ExportedHandler<import('./env').Env>
