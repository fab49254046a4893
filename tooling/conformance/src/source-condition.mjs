// Module hook: resolve workspace packages through their `source` export condition (the
// TypeScript sources), whatever flags the hosting process was started with.
export async function resolve(specifier, context, next) {
  const conditions = context.conditions.includes('source')
    ? context.conditions
    : [...context.conditions, 'source']
  return next(specifier, { ...context, conditions })
}
