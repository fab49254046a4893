import type { Handler } from '../context.js'
import { parseFilter } from '../logs.js'
import { required } from '../params.js'

export const filterMethods: Record<string, Handler> = {
  eth_newFilter: (ctx, params) => ctx.filters.newLogFilter(parseFilter(required(params, 0), 0)),
  eth_newBlockFilter: (ctx) => ctx.filters.newBlockFilter(),
  eth_newPendingTransactionFilter: (ctx) => ctx.filters.newPendingTransactionFilter(),
  eth_getFilterChanges: (ctx, params) => ctx.filters.changes(required(params, 0)),
  eth_getFilterLogs: (ctx, params) => ctx.filters.logs(required(params, 0)),
  eth_uninstallFilter: (ctx, params) => ctx.filters.uninstall(required(params, 0)),
}
