import { createRoute, z } from '@hono/zod-openapi'
import { bodyLimit } from 'hono/body-limit'
import { ApiError, unwrap } from '../errors'
import { jsonBody } from '../middleware/json-body'
import { DEV_TENANT } from '../objects/tenant-store'
import {
  IssuedToken,
  Limits,
  LimitsPatch,
  NewTenant,
  RotateQuery,
  TenantInfo,
  TenantParam,
} from '../schemas'
import { issueToken } from '../tokens'
import { bearerSecurity, errors, router } from './router'
import type { AppEnv } from './router'
import type { Env } from '../env'

const MAX_ADMIN_BODY = 16 * 1024

const smallJson = () => [
  bodyLimit({
    maxSize: MAX_ADMIN_BODY,
    onError: () => {
      throw new ApiError('payload_too_large', `the request body is over ${MAX_ADMIN_BODY} bytes`)
    },
  }),
  jsonBody(),
]

const createTenant = createRoute({
  method: 'post',
  path: '/',
  summary: 'Create a tenant and its first token (admin)',
  security: bearerSecurity,
  middleware: smallJson(),
  request: {
    body: { required: true, content: { 'application/json': { schema: NewTenant } } },
  },
  responses: {
    201: {
      description: 'created; the token is shown only now',
      content: { 'application/json': { schema: IssuedToken } },
    },
    ...errors(400, 401, 409, 413, 415),
  },
})

const getTenant = createRoute({
  method: 'get',
  path: '/{id}',
  summary: 'A tenant’s usage, limit overrides and tokens, without secrets (admin)',
  security: bearerSecurity,
  request: { params: TenantParam },
  responses: {
    200: { description: 'the tenant', content: { 'application/json': { schema: TenantInfo } } },
    ...errors(400, 401, 404),
  },
})

const patchLimits = createRoute({
  method: 'patch',
  path: '/{id}/limits',
  summary: 'Override some limits; null puts one back to its default (admin)',
  security: bearerSecurity,
  middleware: smallJson(),
  request: {
    params: TenantParam,
    body: { required: true, content: { 'application/json': { schema: LimitsPatch } } },
  },
  responses: {
    200: { description: 'the limits now', content: { 'application/json': { schema: Limits } } },
    ...errors(400, 401, 404, 413, 415),
  },
})

const rotateToken = createRoute({
  method: 'post',
  path: '/{id}/tokens',
  summary: 'Issue a new token and revoke the others unless ?keep=true (admin)',
  security: bearerSecurity,
  request: { params: TenantParam, query: RotateQuery },
  responses: {
    201: {
      description: 'issued; the token is shown only now',
      content: { 'application/json': { schema: IssuedToken } },
    },
    ...errors(400, 401, 404),
  },
})

const revokeToken = createRoute({
  method: 'delete',
  path: '/{id}/tokens/{tokenId}',
  summary: 'Revoke one token (admin)',
  security: bearerSecurity,
  request: {
    params: TenantParam.extend({
      tokenId: z
        .string()
        .regex(/^[0-9a-f]{12}$/, 'must be 12 lowercase hex characters')
        .openapi({ param: { name: 'tokenId', in: 'path' } }),
    }),
  },
  responses: { 204: { description: 'revoked' }, ...errors(400, 401, 404) },
})

const tenantStore = (env: Env, id: string) => env.TENANTS.get(env.TENANTS.idFromName(id))

export const tenants = router<AppEnv>()
  .openapi(createTenant, async (c) => {
    const body = c.req.valid('json')
    const id = body.id ?? `t-${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`
    if (id === DEV_TENANT) throw new ApiError('conflict', `tenant id ${DEV_TENANT} is reserved`)

    const issued = await issueToken(id)
    unwrap(await tenantStore(c.env, id).create(id, body.limits ?? {}, issued))

    return c.json({ id, tokenId: issued.tokenId, token: issued.token }, 201)
  })
  .openapi(getTenant, async (c) => {
    const { id } = c.req.valid('param')

    const info = unwrap(await tenantStore(c.env, id).info())

    return c.json(info, 200)
  })
  .openapi(patchLimits, async (c) => {
    const { id } = c.req.valid('param')
    const patch = c.req.valid('json')

    const limits = unwrap(await tenantStore(c.env, id).setLimits(patch))

    return c.json(limits, 200)
  })
  .openapi(rotateToken, async (c) => {
    const { id } = c.req.valid('param')
    const { keep } = c.req.valid('query')

    const issued = await issueToken(id)
    unwrap(await tenantStore(c.env, id).addToken(issued.tokenId, issued.hash, keep !== 'true'))

    return c.json({ id, tokenId: issued.tokenId, token: issued.token }, 201)
  })
  .openapi(revokeToken, async (c) => {
    const { id, tokenId } = c.req.valid('param')

    unwrap(await tenantStore(c.env, id).revokeToken(tokenId))

    return c.body(null, 204)
  })
