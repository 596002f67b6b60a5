import { BackendError } from '../errors.js';
import type { BackendPlugin, KernelBackend } from './KernelBackend.js';
import { REQUIRED_KERNELS } from './kernels.js';

interface Entry {
  factory: (options?: Record<string, unknown>) => KernelBackend | Promise<KernelBackend>;
  priority: number;
  instance?: Promise<KernelBackend>;
}

const registry = new Map<string, Entry>();
let current: KernelBackend | undefined;

/** Short names of our own backends and the packages that provide them. */
export const BACKEND_PACKAGES: Readonly<Record<string, string>> = {
  cpu: '@distilbert/backend-cpu',
  gpu: '@distilbert/backend-gpu',
  webgpu: '@distilbert/backend-gpu',
  onnx: '@distilbert/backend-onnx',
};

/** Makes a backend available under `name`. Initialisation is deferred until it is first used. */
export function registerBackend(name: string, factory: Entry['factory'], priority = 1): void {
  const old = registry.get(name);
  if (old?.instance) void old.instance.then((b) => b.dispose()).catch(() => undefined);
  registry.set(name, { factory, priority });
}

export function registerBackendPlugin(plugin: BackendPlugin): void {
  registerBackend(plugin.name, (o) => plugin.create(o), plugin.priority);
}

export function registeredBackends(): string[] {
  return [...registry.keys()];
}

/**
 * The backend called `name` (a registered name, a short name such as 'gpu', or a package name such as
 * '@distilbert/backend-gpu'), initialised once. Packages are imported on demand, so none is a hard dependency.
 */
export async function getBackend(name?: string, options?: Record<string, unknown>): Promise<KernelBackend> {
  if (name === undefined) {
    if (current) return current;
    const best = [...registry.entries()].sort((a, b) => b[1].priority - a[1].priority)[0];
    if (!best) {
      throw new BackendError(
        'No backend is registered. Install one (pnpm add @distilbert/backend-cpu) and pass it by name, e.g. setBackend("cpu").',
      );
    }
    name = best[0];
  }
  let entry = registry.get(name);
  if (!entry) {
    await importBackendPackage(name);
    entry = registry.get(name) ?? registry.get(pluginNameOf(name));
  }
  if (!entry) throw new BackendError(`No backend named '${name}' is registered.`);
  entry.instance ??= Promise.resolve()
    .then(() => entry.factory(options))
    .then((b) => {
      validateBackend(b);
      return b;
    });
  try {
    return await entry.instance;
  } catch (error) {
    entry.instance = undefined; // a failed initialisation can be retried (e.g. after a GPU device loss)
    throw error instanceof BackendError
      ? error
      : new BackendError(`Backend '${name}' failed to initialise: ${(error as Error).message}`, {
          cause: error,
        });
  }
}

/** Makes `name` the default backend for new tensors and models. */
export async function setBackend(name: string, options?: Record<string, unknown>): Promise<KernelBackend> {
  current = await getBackend(name, options);
  return current;
}

/** Disposes the backend's instance; the next getBackend creates a fresh one. */
export async function removeBackend(name: string): Promise<void> {
  const entry = registry.get(name);
  if (!entry?.instance) return;
  const b = await entry.instance.catch(() => undefined);
  entry.instance = undefined;
  if (b) {
    if (current === b) current = undefined;
    b.dispose();
  }
}

function pluginNameOf(nameOrPackage: string): string {
  const short = Object.entries(BACKEND_PACKAGES).find(([, pkg]) => pkg === nameOrPackage)?.[0];
  return short ?? nameOrPackage;
}

async function importBackendPackage(name: string): Promise<void> {
  const pkg = BACKEND_PACKAGES[name] ?? name;
  let mod: { backend?: BackendPlugin; default?: BackendPlugin };
  try {
    mod = await importFromHere(pkg);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new BackendError(`Backend '${name}' needs the package ${pkg}. Install it: pnpm add ${pkg}`, {
        cause: error,
      });
    }
    throw new BackendError(`Could not load backend package ${pkg}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const plugin = mod.backend ?? mod.default;
  if (!plugin || typeof plugin.create !== 'function') {
    throw new BackendError(
      `${pkg} does not export a backend plugin ('export const backend: BackendPlugin').`,
    );
  }
  registerBackendPlugin(plugin);
  if (plugin.name !== name && !registry.has(name)) registerBackendPlugin({ ...plugin, name });
}

// Tries the package from core's own location, then from the program's working directory, so that a
// backend installed beside core (pnpm's strict layout) is found too.
async function importFromHere(pkg: string): Promise<{ backend?: BackendPlugin; default?: BackendPlugin }> {
  try {
    return await import(/* @vite-ignore */ pkg);
  } catch (error) {
    const proc = (globalThis as { process?: { cwd(): string; getBuiltinModule?: (id: string) => unknown } })
      .process;
    const moduleApi = proc?.getBuiltinModule?.('node:module') as
      | { createRequire(path: string): { resolve(id: string): string } }
      | undefined;
    const url = proc?.getBuiltinModule?.('node:url') as { pathToFileURL(p: string): URL } | undefined;
    if (!moduleApi || !url || !proc) throw error;
    let resolved: string;
    try {
      resolved = moduleApi.createRequire(`${proc.cwd()}/`).resolve(pkg);
    } catch {
      throw error;
    }
    return import(/* @vite-ignore */ url.pathToFileURL(resolved).href);
  }
}

function validateBackend(b: KernelBackend): void {
  const missing = REQUIRED_KERNELS.filter((k) => typeof b.kernels[k] !== 'function');
  if (missing.length > 0) {
    // Not fatal: a backend may be partial while it is written; the first call of a missing kernel names it.
    (globalThis as { console?: Console }).console?.warn(
      `[distilbert] backend '${b.name}' lacks kernels: ${missing.join(', ')}.`,
    );
  }
}
