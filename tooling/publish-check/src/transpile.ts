import ts from 'typescript'

// A README example is TypeScript written as an ES module (imports, top-level await). A user
// runs it as compiled JavaScript: as an ES module, or as CommonJS, where imports become
// `require` calls and top-level await is not allowed (the body goes in an async function).

const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, esModuleInterop: true }

export function toEsm(code: string): string {
  return ts.transpileModule(code, { compilerOptions: { ...options, module: ts.ModuleKind.ESNext } })
    .outputText
}

export function toCommonJs(code: string): string {
  const source = ts.createSourceFile('example.ts', code, ts.ScriptTarget.ES2022, true)
  const imports: string[] = []
  const body: string[] = []
  for (const statement of source.statements)
    (ts.isImportDeclaration(statement) ? imports : body).push(statement.getFullText(source))
  const wrapped = `${imports.join('')}\n;(async () => {\n${body.join('')}\n})().catch((error) => {\n  console.error(error)\n  process.exitCode = 1\n})\n`
  return ts.transpileModule(wrapped, { compilerOptions: { ...options, module: ts.ModuleKind.CommonJS } })
    .outputText
}
