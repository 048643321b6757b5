#!/usr/bin/env node
// The attendseg command line.
import * as fs from 'fs';
import * as path from 'path';

import { Command } from 'commander';

import { packageRoot } from '../engine/default-model';

import { registerBagFromFolder } from './commands/bag-from-folder';
import { registerEval } from './commands/eval';
import { registerInfo } from './commands/info';
import { registerSegment } from './commands/segment';

const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
const program = new Command()
  .name('attendseg')
  .description('AttendSeg-style int8 semantic segmentation for ROS 2')
  .version(pkg.version, '-V, --version', 'print the package version');
registerInfo(program);
registerBagFromFolder(program);
registerSegment(program);
registerEval(program);

program.parseAsync().catch((e: unknown) => {
  console.error(`attendseg: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
