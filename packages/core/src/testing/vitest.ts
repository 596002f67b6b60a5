import { BackendError } from '../errors.js';

type Vitest = typeof import('vitest');

// Loaded lazily so that `@distilbert/core/testing` (the reference backend) also works in programs
// without vitest; only runConformance and the check helpers need it.
const vitest: Vitest | undefined = await import('vitest').catch(() => undefined);

export function requireVitest(): Vitest {
  if (!vitest) {
    throw new BackendError(
      'The conformance kit runs under vitest: add it (pnpm add -D vitest) and call runConformance from a test file.',
    );
  }
  return vitest;
}
