// Debian's Chromium for the browser tests (scripts/chromium.sh installs it; CI passes its path): never a downloaded browser.
import { execFileSync } from 'node:child_process';
import { requireServices } from '@jobstore/conformance';

function findChromium(): string | undefined {
  if (process.env['JOBSTORE_CHROMIUM']) return process.env['JOBSTORE_CHROMIUM'];
  try {
    return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser']).toString().trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The browser's path; undefined (and the browser tests skipped) only where services are not required. */
export const chromiumPath = findChromium();
if (chromiumPath === undefined && requireServices()) throw new Error('no chromium: run scripts/chromium.sh (JOBSTORE_REQUIRE_SERVICES=1, so a missing browser fails the run)');
if (chromiumPath === undefined) console.warn('[jobstore] skipping the browser tests: no chromium (run scripts/chromium.sh)');
