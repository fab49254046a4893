// Module hook for the replay worker threads (they do not inherit the main thread's hooks):
// resolve workspace packages through their `@crucible/source` export condition.
export async function resolve(specifier, context, next) {
  const conditions = context.conditions.includes('@crucible/source')
    ? context.conditions
    : [...context.conditions, '@crucible/source']
  return next(specifier, { ...context, conditions })
}
