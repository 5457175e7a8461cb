/** The version of an installed package, for the error a library adapter throws when its internals moved. */
export function installedVersion(pkg: string): string {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return '(version unknown)';
  }
}
