import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PYTHON, SERVICE_DIR } from './paths.js';
import type { AppKind } from './world.js';

/**
 * The real service when this machine can run it (torch, FastAPI and uvicorn for $SVGAI_PYTHON,
 * the venv with the image's pins, else /usr/bin/python3; potrace, trained models), otherwise the release test app, and why.
 */
export function chooseApp(requested: 'auto' | AppKind): { app: AppKind; why: string } {
  if (requested !== 'auto') return { app: requested, why: 'as requested' };
  if (!existsSync(PYTHON)) return { app: 'release-app', why: `${PYTHON} is missing` };
  if (!existsSync(join(SERVICE_DIR, 'models', 'manifest.json'))) return { app: 'release-app', why: 'service/models has no trained models' };
  const probe = spawnSync(PYTHON, ['-c', 'import torch, fastapi, uvicorn, PIL, numpy, svgai.app'], { cwd: SERVICE_DIR, encoding: 'utf8' });
  if (probe.status !== 0)
    return { app: 'release-app', why: `the service's Python dependencies are missing (${probe.stderr.trim().split('\n').at(-1) ?? ''})` };
  return { app: 'svgai', why: 'the SVG-AI service runs on this machine' };
}
