#!/usr/bin/env node
// The package's command. It runs the compiled CLI; `npm install` builds it (the `prepare` script).
// `serve` binds its address first, so health checks are answered while the rest loads.
import { listenEarly } from '../dist/main/earlyServer.js';

const early = process.argv[2] === 'serve' ? await listenEarly(process.env) : null;
const { main } = await import('../dist/main/cli.js');

main(process.argv).then(
  (code) => {
    // `serve` returns only when it failed to start: the early socket must not keep it alive.
    early?.close();
    process.exitCode = code;
  },
  (error) => {
    early?.close();
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
