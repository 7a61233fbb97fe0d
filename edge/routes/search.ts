import { createRoute } from '@hono/zod-openapi'
import { unwrap } from '../errors'
import { toMatchExpression } from '../objects/search-query'
import { SearchList, SearchQuery } from '../schemas'
import { decodeCursor, encodeCursor } from './cursor'
import { bearerSecurity, errors, router } from './router'

const searchRoute = createRoute({
  method: 'get',
  path: '/',
  summary: 'Full-text search over names and text, best first, with HTML snippets',
  security: bearerSecurity,
  request: { query: SearchQuery },
  responses: {
    200: { description: 'a page of hits', content: { 'application/json': { schema: SearchList } } },
    ...errors(400, 401, 429),
  },
})

export const search = router().openapi(searchRoute, async (c) => {
  const { q, limit, cursor } = c.req.valid('query')
  const offset = decodeCursor('s', cursor) ?? 0
  const match = toMatchExpression(q)

  // A query with no letters or digits (only `*`, `-`, quotes...) matches nothing, but the
  // tenant's object still sees it, so auth and the rate limit apply the same way.
  const page = unwrap(await c.var.store.search(c.var.credential, match ?? '', limit, offset))

  return c.json({ items: page.items, next: encodeCursor('s', page.next) }, 200)
})
