// Builds the page with Vite, serves it and the fixture checkpoint on 127.0.0.1, and runs it in Debian's
// headless chromium (playwright-core, no browser download): the predictions on the page must be those of
// the same checkpoint on core's float64 reference backend, and the screenshot must show them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import '@distilbert/core/testing'; // registers the float64 'reference' backend
import { type FillMaskResult, pipeline } from '@distilbert/pipelines';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve } from './serve.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MODEL = fileURLToPath(new URL('../../../fixtures/models/tiny-distilbert-mlm/', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];
const TEXT = "Hello I'm a [MASK] model.";

let browser: Browser;
let server: Server;
let origin: string;
let want: FillMaskResult[];

beforeAll(async () => {
  await build({ root: ROOT, logLevel: 'error', build: { outDir: join(ROOT, 'dist') } });
  ({ origin, server } = await serve({ '/models/tiny-distilbert-mlm/': MODEL, '/': join(ROOT, 'dist') }));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  const reference = await pipeline('fill-mask', MODEL, { backend: 'reference' });
  want = (await reference(TEXT)) as FillMaskResult[];
  reference.dispose();
});

afterAll(async () => {
  await browser?.close();
  server?.close();
});

async function open(
  query: string,
  { hideWebGpu = false } = {},
): Promise<{ page: Page; state: string; backend: string; status: string }> {
  const page = await browser.newPage({ viewport: { width: 900, height: 600 } });
  // A browser without WebGPU: navigator.gpu is undefined, as in Firefox/Safari without the flag.
  if (hideWebGpu)
    await page.addInitScript(() => Object.defineProperty(navigator, 'gpu', { value: undefined }));
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${origin}/?model=/models/tiny-distilbert-mlm/${query}`);
  await page.waitForSelector('body:not([data-state="loading"])', { timeout: 45_000 });
  const [state, backend, status] = await page.evaluate(() => [
    document.body.dataset.state ?? '',
    document.body.dataset.backend ?? '',
    document.getElementById('status')?.textContent ?? '',
  ]);
  expect(errors, 'uncaught page errors').toEqual([]);
  return { page, state, backend, status };
}

async function predictionsOn(page: Page) {
  return page.$$eval('#predictions li', (items) =>
    items.map((li) => ({
      token: Number((li as HTMLElement).dataset.token),
      sequence: li.querySelector('.sequence')?.textContent ?? '',
      score: Number(li.querySelector('.score')?.textContent),
    })),
  );
}

describe('browser fill-mask page (headless chromium)', () => {
  it('with WebGPU when the browser has it, else the CPU fallback, shows the reference predictions', async () => {
    const { page, state, backend, status } = await open('');
    expect(state, status).toBe('ready');
    expect(['gpu', 'cpu']).toContain(backend);
    console.info(`browser example: ${status}`); // which backend this chromium gave the page
    const got = await predictionsOn(page);
    expect(got.map((p) => p.token)).toEqual(want.map((p) => p.token));
    expect(got.map((p) => p.sequence)).toEqual(want.map((p) => p.sequence));
    for (const [i, p] of got.entries()) expect(Math.abs(p.score / want[i].score - 1)).toBeLessThan(1e-3);

    // The screenshot: the right size, and not blank (many distinct colours once decoded).
    const png = await page.screenshot({ fullPage: false });
    const dir = mkdtempSync(join(tmpdir(), 'browser-example-'));
    writeFileSync(join(dir, `fill-mask-${backend}.png`), png);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([900, 600]);
    const colours = await page.evaluate(async (b64) => {
      const image = new Image();
      image.src = `data:image/png;base64,${b64}`;
      await image.decode();
      const canvas = new OffscreenCanvas(image.width, image.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(image, 0, 0);
      const { data } = ctx.getImageData(0, 0, image.width, image.height);
      const seen = new Set<number>();
      for (let i = 0; i < data.length; i += 4) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      return seen.size;
    }, png.toString('base64'));
    expect(colours).toBeGreaterThan(50); // text, bars and the card; a blank page has 1
    await page.close();
  });

  it('without WebGPU falls back to the CPU backend, and fills a new sentence from the form', async () => {
    const { page, state, backend, status } = await open('', { hideWebGpu: true });
    expect(state, status).toBe('ready');
    expect(backend).toBe('cpu');
    expect(status).toMatch(/^cpu backend \(WebGPU unavailable: .+\)/);
    expect((await predictionsOn(page)).map((p) => p.token)).toEqual(want.map((p) => p.token));

    await page.fill('#text', 'The capital of France is [MASK].');
    await page.click('#run');
    await page.waitForFunction(() =>
      document.querySelector('#predictions .sequence')?.textContent?.startsWith('the capital of france is'),
    );
    const reference = await pipeline('fill-mask', MODEL, { backend: 'reference' });
    const france = (await reference('The capital of France is [MASK].')) as FillMaskResult[];
    reference.dispose();
    expect((await predictionsOn(page)).map((p) => p.sequence)).toEqual(france.map((p) => p.sequence));
    await page.close();
  });
});

it('?backend=cpu skips WebGPU even when the browser has it', async () => {
  const { page, state, backend, status } = await open('&backend=cpu');
  expect(state, status).toBe('ready');
  expect(backend).toBe('cpu');
  expect(status).toMatch(/WebGPU not requested/);
  await page.close();
});
