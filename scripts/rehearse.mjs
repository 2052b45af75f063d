#!/usr/bin/env node
// The README's first command: a rehearsed release on the local stand-in of AWS.
// The pieces it chains (the stand-in, the service, the canary engine) are being assembled; until
// they are all in place this says so plainly instead of pretending to release anything.
console.log(`svg-ai-release rehearsal

What it will do: start the local AWS stand-in with the blue/green topology, run the SVG-AI service on
the blue side behind a real local load-balancer port with steady traffic, run the bundled canary action
to a new revision, and print the step table and the deployment record (--fault error-rate|latency|crash
shows an automatic rollback).

Not yet: the canary engine is not wired into the action in this version, so no release can be
rehearsed. Nothing was started and nothing was changed.`);
process.exit(2);
