// Stands in for @distilbert/hub in the browser bundle. The hub client reads and writes the Hugging Face
// cache on disk, which a page does not have; this page fetches model files itself (loadFromUrl.ts), so
// core's and the tokenizer's disk loaders are never called here. If one is, it says what to use instead.
export type HubOptions = Record<string, unknown>;

export function openRepo(idOrPath: string): never {
  throw new Error(
    `Loading '${idOrPath}' from disk or the Hub cache is not available in a browser: fetch the files (see loadFillMaskFromUrl).`,
  );
}
