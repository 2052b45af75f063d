#!/usr/bin/env node
// A stand-in task process: answers every request with its colour and revision (from the environment),
// and /ready with 200 unless NOT_READY is set.
import { createServer } from 'node:http';

const colour = process.env.COLOUR ?? 'none';
const revision = process.env.REVISION ?? '0';
const server = createServer((req, res) => {
  if (req.url === '/ready' && process.env.NOT_READY) {
    res.writeHead(503).end('not ready\n');
    return;
  }
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ colour, revision, path: req.url }));
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
