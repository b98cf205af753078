import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Loads the thread's entry module (already evaluated: this returns the same instance) to read its
 * exports. The CJS build of this package only ever runs under a CJS entry, and there tsup rewrites
 * `import()` into `require()` of the specifier, which a file URL is not; so that build requires the
 * entry's path instead. A CJS module's exports object doubles as its default export, like `import()` does.
 */
export async function importEntry(href: string): Promise<Record<string, unknown>> {
  // `__filename` exists only in CommonJS scope (bundlers rewrite `require`, so it cannot be the test).
  if (typeof __filename === 'string') {
    const exported: unknown = createRequire(href)(fileURLToPath(href));
    return typeof exported === 'object' && exported !== null
      ? { ...(exported as Record<string, unknown>), default: exported }
      : { default: exported };
  }
  return (await import(href)) as Record<string, unknown>;
}
