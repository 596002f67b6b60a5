import type { KernelBackend } from '../backend/KernelBackend.js';
import type { KernelName } from '../backend/kernels.js';
import { engine, type MemoryInfo } from '../engine/engine.js';
import type { DistilBertPreTrainedModel } from '../model/DistilBertPreTrainedModel.js';
import { loadModel } from '../model/loadModel.js';
import type { CheckpointFile } from '../weights/Checkpoint.js';
import { DEFAULT_FIXTURES_DIR, type Fixture, listFixtures, readFixture } from './fixtures.js';
import { FUSED_CASES, REQUIRED_CASES } from './kernelCases.js';
import { checkKernelCase, DEFAULT_KERNEL_TOLERANCE, type Tolerance } from './kernelConformance.js';
import {
  casesFor,
  checkFixtureCase,
  DEFAULT_MODEL_ATOL,
  quickCases,
  weightVariants,
} from './modelConformance.js';
import { createReferenceBackend } from './reference/ReferenceBackend.js';
import { requireVitest } from './vitest.js';

export interface ConformanceOptions {
  /** Name in the test report (default 'backend'). */
  name?: string;
  /**
   * What the backend does not support yet. Those tests are reported as skipped, with the reason in
   * their name, never as passed.
   */
  skip?: { kernels?: readonly KernelName[]; fixtures?: boolean; reason: string };
  /** Fixture models folder (default: the repo's fixtures/models). */
  fixturesDir?: string;
  /** Only these fixture folders (default: all of them). */
  fixtures?: readonly string[];
  /**
   * Weights for fixtures stored without them, by folder name: a folder with config.json and
   * model.safetensors, e.g. `{ 'fullsize-distilbert-mlm': await ensureFullsizeModel() }`.
   * Checked with `tolerance.fullsize`.
   */
  weightsDirs?: Readonly<Record<string, string>>;
  tolerance?: {
    /** Per-kernel float tolerance (default atol 1e-5, rtol 1e-5). */
    kernels?: Partial<Record<KernelName, Tolerance>>;
    /** Default for kernels not listed. */
    kernel?: Tolerance;
    /** Max |diff| on fixture outputs (default 1e-5; the README allows 2e-5 with approximate exp/erf, never above 1e-4). */
    model?: number;
    /** Max |diff| for the full-size fixture (default 5e-5, the README's suggestion). */
    fullsize?: number;
  };
  /**
   * Check only three cases per fixture (the first, a padded batch, the longest) instead of all ~10:
   * for slow backends and quick CI runs. Default false.
   */
  quick?: boolean;
  /** Dispose the backend after the suite (default true: the factory made it for the kit). */
  disposeBackend?: boolean;
}

type Factory = () => KernelBackend | Promise<KernelBackend>;

/**
 * Registers the backend conformance suite with vitest: every kernel against the float64 reference
 * (ordinary and edge shapes, no leaks, inputs untouched), the fused kernels against core's composites,
 * then every fixture model end to end against the PyTorch reference outputs. Call it at the top level
 * of a test file:
 *
 * ```ts
 * import { runConformance } from '@distilbert/core/testing';
 * runConformance(() => new MyBackend(), { name: 'my-backend' });
 * ```
 */
export function runConformance(factory: Factory, options: ConformanceOptions = {}): void {
  const { afterAll, beforeAll, describe, expect, it } = requireVitest();
  const skip = options.skip;
  const skipped = new Set<KernelName>(skip?.kernels ?? []);
  const kernelTol = (k: KernelName) =>
    options.tolerance?.kernels?.[k] ?? options.tolerance?.kernel ?? DEFAULT_KERNEL_TOLERANCE;
  const modelAtol = options.tolerance?.model ?? DEFAULT_MODEL_ATOL;
  let backend: KernelBackend;
  let reference: KernelBackend;

  describe(`conformance: ${options.name ?? 'backend'}`, () => {
    beforeAll(async () => {
      backend = await factory();
      reference = createReferenceBackend({ name: 'reference (kit)' });
    });
    afterAll(() => {
      reference?.dispose();
      if (options.disposeBackend !== false) backend?.dispose();
    });

    describe('required kernels', () => {
      for (const c of REQUIRED_CASES) {
        const name = `${c.kernel}: ${c.label}`;
        if (skipped.has(c.kernel)) it.skip(`${name} (skipped: ${skip?.reason})`, () => {});
        else it(name, () => checkKernelCase(backend, reference, c, kernelTol(c.kernel)));
      }
    });

    describe('fused kernels (optional)', () => {
      for (const c of FUSED_CASES) {
        const name = `${c.kernel}: ${c.label}`;
        if (skipped.has(c.kernel)) it.skip(`${name} (skipped: ${skip?.reason})`, () => {});
        else
          it(name, async (ctx) => {
            if (typeof backend.kernels[c.kernel] !== 'function') {
              ctx.skip(`${c.kernel} is optional and not implemented; core uses its composite`);
            }
            await checkKernelCase(backend, reference, c, kernelTol(c.kernel));
          });
      }
    });

    const dir = options.fixturesDir ?? DEFAULT_FIXTURES_DIR;
    const names = options.fixtures ?? listFixtures(dir);
    describe('fixture models', () => {
      if (names.length === 0) it.skip(`no fixture models found in ${dir}`, () => {});
      for (const name of names) {
        const fixture = readFixture(dir, name);
        if (skip?.fixtures) {
          it.skip(`${name} (skipped: ${skip.reason})`, () => {});
          continue;
        }
        const weightsDir = options.weightsDirs?.[name];
        if (weightsDir) {
          describeVariant(fixture, 'model.safetensors', '', weightsDir, options.tolerance?.fullsize ?? 5e-5);
        } else if (!fixture.hasWeights) {
          it.skip(`${name} (no weights in the folder: pass weightsDirs to check it)`, () => {});
        } else {
          for (const variant of weightVariants(fixture)) {
            describeVariant(fixture, variant.file, variant.prefix, fixture.dir, modelAtol);
          }
        }
      }
    });
  });

  function describeVariant(fixture: Fixture, file: string, prefix: string, dir: string, atol: number): void {
    describe(`${fixture.name} (${file})`, () => {
      let model: DistilBertPreTrainedModel;
      let expected: CheckpointFile;
      let engineBefore: MemoryInfo;
      let backendBefore: { numDataIds: number; numBytes: number };
      beforeAll(async () => {
        engineBefore = engine.memory();
        const m = backend.memory();
        backendBefore = { numDataIds: m.numDataIds, numBytes: m.numBytes };
        expected = await fixture.expected();
        model = await loadModel(dir, { backend, weights: file, onWarning: () => {} });
      });
      afterAll(() => model?.dispose());

      it('loads as the architecture in config.json', () => {
        expect(model.architecture).toBe(fixture.architecture);
      });
      const cases = casesFor(fixture, file, prefix);
      for (const c of options.quick ? quickCases(cases) : cases) {
        it(`${c.id} [${c.batch}, ${c.seq_len}]`, () =>
          checkFixtureCase(model, fixture, c, expected, atol, prefix));
      }
      it('frees every tensor and buffer on model.dispose()', () => {
        model.dispose();
        expect(engine.memory(), 'engine.memory() after dispose').toEqual(engineBefore);
        const m = backend.memory();
        expect({ numDataIds: m.numDataIds, numBytes: m.numBytes }, 'backend.memory() after dispose').toEqual(
          backendBefore,
        );
      });
    });
  }
}
