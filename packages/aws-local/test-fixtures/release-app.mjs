#!/usr/bin/env node
// A stand-in for the SVG-AI service in release tests and rehearsals where the real one is not wanted
// (it needs torch): the same health, readiness and version contract, instant answers elsewhere.
//   GET /health   200 while the process lives
//   GET /ready    200 once started (after READY_DELAY_MS), 503 before
//   GET /version  { image, image_id, model_version, git_sha }: the image as ECS reports it through the
//                 task metadata endpoint, the model version from MODEL_VERSION
//   POST /api/convert-ai   200, and one EMF record on stdout with the service's per-model quality metrics
//                 (PredictedQuality 0.9, MeasuredSSIM 0.92, PredictionError 0.02 for ModelVersion), as the
//                 service prints one per conversion
//   anything else 200 with a small JSON body naming the model version
// The SVG-AI service's test-only fault knobs work the same here, on everything but /health, /ready and
// /version, so health stays green as with a real bug in the API: SVGAI_FAULT_ERROR_RATE (0..1, share
// answered 500) and SVGAI_FAULT_LATENCY_MS (added to each answer).
// EXIT_ON_START=<code> makes the process exit at once with that code, like a broken image; a MAX_INFLIGHT
// that is not a whole number of at least 1 makes it exit 1 at start, as the service refuses one.
// Every answer names the image and model version that gave it (x-svgai-image, x-svgai-model-version), as
// the service's do.
import { createServer } from 'node:http';

if (process.env.EXIT_ON_START) process.exit(Number(process.env.EXIT_ON_START));
if (
  process.env.MAX_INFLIGHT !== undefined &&
  !(Number.isInteger(Number(process.env.MAX_INFLIGHT)) && Number(process.env.MAX_INFLIGHT) >= 1)
) {
  console.error(`MAX_INFLIGHT=${process.env.MAX_INFLIGHT} is not a whole number of at least 1`);
  process.exit(1);
}

const started = Date.now();
const errorRate = Number(process.env.SVGAI_FAULT_ERROR_RATE ?? 0);
const latencyMs = Number(process.env.SVGAI_FAULT_LATENCY_MS ?? 0);
const readyDelay = Number(process.env.READY_DELAY_MS ?? 0);
let image = { Image: process.env.IMAGE ?? 'unknown', ImageID: undefined };
if (process.env.ECS_CONTAINER_METADATA_URI_V4) {
  try {
    const response = await fetch(process.env.ECS_CONTAINER_METADATA_URI_V4);
    if (response.ok) image = await response.json();
  } catch {
    // No metadata: /version reports what the environment says.
  }
}

const version = JSON.stringify({
  service: 'release-app',
  image: image.Image,
  image_id: image.ImageID,
  model_version: process.env.MODEL_VERSION ?? 'none',
  git_sha: process.env.GIT_SHA ?? 'unknown',
});

const identity = { 'x-svgai-image': image.ImageID ?? image.Image, 'x-svgai-model-version': process.env.MODEL_VERSION ?? 'none' };

const server = createServer((req, res) => {
  req.resume();
  const json = (status, body) => res.writeHead(status, { 'content-type': 'application/json', ...identity }).end(body);
  if (req.url === '/health') return json(200, '{"status":"ok"}');
  if (req.url === '/ready') return Date.now() - started >= readyDelay ? json(200, '{"ready":true}') : json(503, '{"ready":false}');
  if (req.url === '/version') return json(200, version);
  const answer = () => {
    if (Math.random() < errorRate) return json(500, '{"error":"injected fault"}');
    if (req.method === 'POST' && req.url === '/api/convert-ai') {
      const modelVersion = process.env.MODEL_VERSION ?? 'none';
      const quality = { PredictedQuality: 0.9, MeasuredSSIM: 0.92, PredictionError: 0.02 };
      const metrics = Object.keys(quality).map((name) => ({ Name: name, Unit: 'None' }));
      console.log(
        JSON.stringify({
          _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: 'SVGAI', Dimensions: [['ModelVersion']], Metrics: metrics }] },
          ModelVersion: modelVersion,
          ...quality,
        }),
      );
      return json(200, JSON.stringify({ success: true, model_version: modelVersion, predicted_quality: 0.9, ssim: 0.92 }));
    }
    return json(200, JSON.stringify({ ok: true, path: req.url, model_version: process.env.MODEL_VERSION ?? 'none' }));
  };
  if (latencyMs > 0) setTimeout(answer, latencyMs);
  else answer();
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
