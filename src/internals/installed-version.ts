/** The version of an installed package, for the error a library adapter throws when its internals moved. */
export function installedVersion(pkg: string): string {
  try {
    // The package is named at run time, and package.json is read only on this error path.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return '(version unknown)';
  }
}
