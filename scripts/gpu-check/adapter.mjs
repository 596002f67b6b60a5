// Prints the WebGPU adapter our backend gets (vendor, device, driver), its features and the limits that matter.
//   node scripts/gpu-check/adapter.mjs [--json OUT.json]
import { writeFileSync } from 'node:fs';
import { gpuPkg } from './lib.mjs';

const backend = await gpuPkg.createGpuBackend({ f16: true });
const d = backend.device;
const info = {
  adapter: backend.adapterInfo,
  features: [...d.features].sort(),
  f16: backend.f16,
  limits: Object.fromEntries(
    [
      'maxStorageBufferBindingSize',
      'maxBufferSize',
      'maxComputeWorkgroupStorageSize',
      'maxComputeInvocationsPerWorkgroup',
    ].map((k) => [k, d.limits[k]]),
  ),
};
console.log(JSON.stringify(info, null, 2));
const json = process.argv.indexOf('--json');
if (json >= 0) writeFileSync(process.argv[json + 1], JSON.stringify(info, null, 2));
backend.dispose();
if (/llvmpipe|swiftshader|software/i.test(`${info.adapter.description} ${info.adapter.architecture}`)) {
  console.log('NOTE: this is a software (CPU) adapter, not the GPU.');
}
