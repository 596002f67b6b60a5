import { registerReferenceBackend } from './registerReference.js';

export { type ConformanceOptions, runConformance } from './conformance.js';
export {
  caseInputs,
  DEFAULT_FIXTURES_DIR,
  type Fixture,
  type FixtureCase,
  listFixtures,
  maxAbsDiff,
  readFixture,
} from './fixtures.js';
export {
  ensureFullsizeModel,
  FULLSIZE_MODEL_DIR,
  FULLSIZE_MODEL_SHA256,
  FullsizeModelUnavailableError,
} from './fullsize.js';
export { FUSED_CASES, type KernelCase, REQUIRED_CASES } from './kernelCases.js';
export { checkKernelCase, DEFAULT_KERNEL_TOLERANCE, type Tolerance } from './kernelConformance.js';
export { checkFixtureCase, DEFAULT_MODEL_ATOL } from './modelConformance.js';
export { createReferenceBackend, type ReferenceBackendOptions } from './reference/ReferenceBackend.js';
export { registerReferenceBackend } from './registerReference.js';

registerReferenceBackend();
