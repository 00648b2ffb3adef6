#!/usr/bin/env node
// The `lnlab` command. The workshop's code is TypeScript; tsx compiles it on the fly, so a learner
// never runs a build step and always runs the source they are reading.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
