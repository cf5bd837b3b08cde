#!/usr/bin/env node
// The `ringmon` command. The CLI is TypeScript, run through tsx's loader, so
// there is no build step between editing the source and running it.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
