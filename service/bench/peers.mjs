#!/usr/bin/env node
// The peer vectorizers of the quality benchmark (bench/quality.py), run under Node on the very images the
// service converts: imagetracerjs and vtracer (its WebAssembly build), both with their default settings
// for colour images. Input: a folder of NAME.rgba files (raw RGBA, 8 bits per channel) with NAME.json
// ({"width", "height"}). Output: NAME.<peer>.svg next to them and one JSON line per conversion on stdout
// ({"name", "peer", "ms", "error"}).
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const ImageTracer = require('imagetracerjs');
const vtracerDir = join(require.resolve('vtracer-wasm/package.json'), '..');
const vtracer = await import(join(vtracerDir, 'vtracer.js'));
vtracer.initSync({ module: readFileSync(join(vtracerDir, 'vtracer.wasm')) });

// vtracer's defaults for colour images (its CLI: stacked, spline, color_precision 6, filter_speckle 4,
// corner 60 deg, splice 45 deg), in the units the library takes, as vtracer's own web app converts them:
// angles in radians, the speckle filter as an area (4 x 4 px), colour precision as bits dropped (8 - 6).
const VTRACER_COLOUR = {
  binary: false,
  mode: 'spline',
  hierarchical: 'stacked',
  cornerThreshold: (60 * Math.PI) / 180,
  lengthThreshold: 4,
  maxIterations: 10,
  spliceThreshold: (45 * Math.PI) / 180,
  filterSpeckle: 4 * 4,
  colorPrecision: 8 - 6,
  layerDifference: 16,
  pathPrecision: 8,
};

const peers = {
  imagetracerjs: (data, width, height) =>
    ImageTracer.imagedataToSVG({ width, height, data: new Uint8ClampedArray(data) }, 'default'),
  vtracer: (data, width, height) => vtracer.to_svg(new Uint8Array(data), width, height, VTRACER_COLOUR),
};

const folder = process.argv[2];
if (!folder) {
  console.error('usage: node bench/peers.mjs FOLDER');
  process.exit(2);
}
for (const file of readdirSync(folder).filter((f) => f.endsWith('.rgba')).sort()) {
  const name = file.slice(0, -'.rgba'.length);
  const { width, height } = JSON.parse(readFileSync(join(folder, `${name}.json`), 'utf8'));
  const data = readFileSync(join(folder, file));
  for (const [peer, run] of Object.entries(peers)) {
    const started = performance.now();
    try {
      const svg = run(data, width, height);
      const ms = performance.now() - started;
      writeFileSync(join(folder, `${name}.${peer}.svg`), svg);
      console.log(JSON.stringify({ name, peer, ms }));
    } catch (error) {
      console.log(JSON.stringify({ name, peer, ms: performance.now() - started, error: String(error) }));
    }
  }
}
