export const REPO_ROOT: string
export const PREPACK: string
export interface PublishedPackage {
  folder: string
  dir: string
  path: string
  // biome-ignore lint/suspicious/noExplicitAny: a package.json
  json: Record<string, any>
}
export function publishedPackages(root?: string): PublishedPackage[]
// biome-ignore lint/suspicious/noExplicitAny: a package.json
export function rootPackageJson(root?: string): Record<string, any>
export function expectedFields(
  folder: string,
  rootJson: Record<string, unknown>,
  exports?: Record<string, unknown>,
): Record<string, unknown>
export function metadataProblems(pkg: PublishedPackage, rootJson: Record<string, unknown>): string[]
export function fixMetadata(root?: string): void
