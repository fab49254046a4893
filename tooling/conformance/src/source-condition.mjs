// Module hook: resolve workspace packages through their `@crucible/source` export condition (the
// TypeScript sources), whatever flags the hosting process was started with.
export async function resolve(specifier, context, next) {
  const conditions = context.conditions.includes('@crucible/source')
    ? context.conditions
    : [...context.conditions, '@crucible/source']
  return next(specifier, { ...context, conditions })
}
