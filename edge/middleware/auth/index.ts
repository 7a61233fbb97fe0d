import { createMiddleware } from 'hono/factory'
import { ApiError } from '../../errors'
import { DEV_TENANT } from '../../objects/tenant-store'
import { parseToken, secretsEqual, sha256Hex } from '../../tokens'
import type { Env } from '../../env'
import type { Credential, TenantStore } from '../../objects/tenant-store'

/** What `tenantAuth()` leaves on the context for the routes. */
export interface TenantVariables {
  /** The tenant the token claims; the tenant object confirms it on every call. */
  tenant: string
  credential: Credential
  store: DurableObjectStub<TenantStore>
}

/**
 * Reads `Authorization: Bearer <token>` and points the request at the token's tenant object.
 * The hash check itself happens inside that object, in the same call as the work.
 */
export function tenantAuth() {
  return createMiddleware<{ Bindings: Env; Variables: TenantVariables }>(
    async function tenantAuth(c, next) {
      const token = bearer(c.req.header('authorization'))

      let tenant: string
      let credential: Credential
      if (await isDevToken(c.env, token)) {
        tenant = DEV_TENANT
        credential = { kind: 'dev' }
      } else {
        const parsed = parseToken(token)
        if (!parsed) throw unauthorized()
        tenant = parsed.tenant
        credential = { kind: 'token', tokenId: parsed.tokenId, hash: await sha256Hex(token) }
      }

      c.set('tenant', tenant)
      c.set('credential', credential)
      c.set('store', c.env.TENANTS.get(c.env.TENANTS.idFromName(tenant)))
      await next()
    },
  )
}

/** Lets only the admin token (`QUIRE_ADMIN_TOKEN`, a secret in production) through. */
export function adminAuth() {
  return createMiddleware<{ Bindings: Env }>(async function adminAuth(c, next) {
    const token = bearer(c.req.header('authorization'))
    const admin = c.env.QUIRE_ADMIN_TOKEN
    if (!admin || !(await secretsEqual(token, admin))) {
      throw new ApiError('unauthorized', 'this route needs the admin token')
    }
    await next()
  })
}

/** Whether `env` is development with a dev token set. */
export function devTokenEnabled(env: Env): env is Env & { QUIRE_DEV_TOKEN: string } {
  return env.ENVIRONMENT === 'development' && !!env.QUIRE_DEV_TOKEN
}

async function isDevToken(env: Env, token: string): Promise<boolean> {
  return devTokenEnabled(env) && (await secretsEqual(token, env.QUIRE_DEV_TOKEN))
}

function bearer(header: string | undefined): string {
  const match = header ? /^Bearer[ ]+(\S{1,512})\s*$/i.exec(header) : null
  if (!match) throw unauthorized()
  return match[1]!
}

function unauthorized(): ApiError {
  return new ApiError('unauthorized', 'send Authorization: Bearer <token>')
}
