#!/usr/bin/env node
// The attendseg command line.
import { Command } from 'commander';

import { registerBagFromFolder } from './commands/bag-from-folder';
import { registerEval } from './commands/eval';
import { registerInfo } from './commands/info';
import { registerSegment } from './commands/segment';

const program = new Command().name('attendseg').description('AttendSeg-style int8 semantic segmentation for ROS 2');
registerInfo(program);
registerBagFromFolder(program);
registerSegment(program);
registerEval(program);

program.parseAsync().catch((e: unknown) => {
  console.error(`attendseg: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
