#!/usr/bin/env node
// A recording stand-in for `docker` (login, logout, buildx version, buildx build) on PATH. It appends each
// call (argv and, for login, what came on stdin) to $DOCKER_STUB_LOG, fails as the real one does when
// $DOCKER_STUB_FAIL says so, and otherwise really pushes a small image to the registry it logged in to,
// then writes the metadata file buildx writes, so the action's read-backs see what they would see.
import { appendFileSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';

const args = process.argv.slice(2);
const log = process.env.DOCKER_STUB_LOG;
const fail = process.env.DOCKER_STUB_FAIL ?? '';
const stdin = args.includes('--password-stdin') ? readFileSync(0, 'utf8') : undefined;
if (log) appendFileSync(log, `${JSON.stringify({ args, stdin })}\n`);
const credentials = `${log}.credentials`;

const die = (message) => {
  process.stderr.write(`${message}\n`);
  process.exit(1);
};

if (args[0] === 'buildx' && args[1] === 'version') {
  console.log('github.com/docker/buildx v0.17.1 257815a6');
  process.exit(0);
}
if (args[0] === 'login') {
  const host = args.at(-1);
  if (fail === 'login') die(`Error response from daemon: Get "https://${host}/v2/": unauthorized: authentication required`);
  const response = await fetch(`http://${host}/v2/`, {
    headers: { authorization: `Basic ${Buffer.from(`AWS:${stdin.trim()}`).toString('base64')}` },
  });
  if (response.status !== 200)
    die(`Error response from daemon: login attempt to http://${host}/v2/ failed with status: ${response.status}`);
  writeFileSync(credentials, JSON.stringify({ host, password: stdin.trim() }));
  console.log('Login Succeeded');
  process.exit(0);
}
if (args[0] === 'logout') {
  console.log(`Removing login credentials for ${args.at(-1)}`);
  process.exit(0);
}
if (args[0] === 'buildx' && args[1] === 'build') {
  const value = (flag) => args.filter((_, i) => args[i - 1] === flag);
  const tags = value('--tag');
  const metadataFile = value('--metadata-file')[0];
  console.log('#0 building with "default" instance using docker driver');
  console.log('#1 [internal] load build definition from Dockerfile');
  if (fail === 'disk')
    die('ERROR: failed to solve: failed to copy: write /var/lib/docker/tmp/buildkit-mount/layer.tar: no space left on device');
  if (fail === 'build')
    die('ERROR: failed to solve: process "/bin/sh -c pip install -r requirements.txt" did not complete successfully: exit code: 1');
  if (fail === 'push')
    die(`ERROR: failed to push ${tags[0]}: unexpected status from HEAD request to https://${tags[0].split('/')[0]}/v2/: 403 Forbidden`);
  if (!args.includes('--output')) process.exit(0);
  const { host, password } = existsSync(credentials) ? JSON.parse(readFileSync(credentials, 'utf8')) : die('ERROR: no login');
  const auth = { authorization: `Basic ${Buffer.from(`AWS:${password}`).toString('base64')}` };
  const sha = (data) => `sha256:${createHash('sha256').update(data).digest('hex')}`;
  const labels = Object.fromEntries(value('--label').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  const config = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: labels }, rootfs: { type: 'layers', diff_ids: [] } }),
  );
  const repository = tags[0].slice(host.length + 1, tags[0].lastIndexOf(':'));
  const put = await fetch(`http://${host}/v2/${repository}/blobs/uploads/?digest=${sha(config)}`, {
    method: 'POST',
    headers: auth,
    body: config,
  });
  if (put.status !== 201) die(`ERROR: failed to push ${tags[0]}: ${put.status} ${await put.text()}`);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length },
    layers: [],
  });
  for (const tag of tags) {
    const response = await fetch(`http://${host}/v2/${repository}/manifests/${tag.slice(tag.lastIndexOf(':') + 1)}`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
      body: manifest,
    });
    if (response.status !== 201) {
      const body = await response.json();
      die(`ERROR: failed to push ${tag}: ${body.errors[0].code.toLowerCase().replace('_', ' ')}: ${body.errors[0].message}`);
    }
  }
  console.log(`#9 pushing manifest for ${tags[0]}@${sha(manifest)} done`);
  writeFileSync(
    metadataFile,
    JSON.stringify({
      'buildx.build.ref': 'default/default/x1y2z3',
      'containerimage.config.digest': sha(config),
      'containerimage.descriptor': {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: sha(manifest),
        size: manifest.length,
      },
      'containerimage.digest': sha(manifest),
      'image.name': tags.join(','),
    }),
  );
  process.exit(0);
}
die(`docker stub: unexpected ${args.join(' ')}`);
