#!/usr/bin/env node
// The package's command. It runs the compiled CLI; `npm install` builds it (the `prepare` script).
import { main } from '../dist/main/cli.js';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
