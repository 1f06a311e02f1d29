/**
 * A CommonJS TypeScript file (`.cts`) that loads every given package with `require()`, compiled
 * by the project's tsc, so both TypeScript's and Node's handling of `require()` of ESM are tried.
 * It prints, for each package, the names exported through `require()` and through `import()`.
 */
export function requireCheckSource(packages: readonly string[]): string {
  const lines = packages.map((name, i) => `import * as p${i} from '${name}';`);
  const table = packages.map((name, i) => `  ['${name}', p${i}],`);
  return `${lines.join('\n')}

const required: Array<[string, object]> = [
${table.join('\n')}
];

async function main(): Promise<void> {
  const report: Record<string, { required: string[]; imported: string[] }> = {};
  for (const [name, module] of required) {
    const imported = (await import(name)) as object;
    // TypeScript's require() helper adds a default key to a namespace without __esModule.
    report[name] = { required: Object.keys(module).filter((key) => key !== 'default' || key in imported).sort(), imported: Object.keys(imported).filter((key) => key !== 'module.exports').sort() };
  }
  console.log(JSON.stringify(report));
}

void main();
`;
}
