import { app } from './app'
import type { Env } from './env'

export { TenantStore } from './objects/tenant-store'

export default { fetch: app.fetch } satisfies ExportedHandler<Env>
