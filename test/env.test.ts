// src/env.ts: the one reader of environment variables.
import { strict as assert } from 'assert';
import * as path from 'path';

import { createBag } from '../src/bag';
import { environment } from '../src/env';
import { tmpDir } from './helpers/tmp';

describe('environment', () => {
  it('reads the package variables; unset and empty ones are absent', () => {
    assert.deepEqual(environment({}), { rosDistro: undefined, amentPrefixPath: undefined, addonPath: undefined });
    assert.deepEqual(environment({ ROS_DISTRO: '', ATTENDSEG_ADDON: '' }), { rosDistro: undefined, amentPrefixPath: undefined, addonPath: undefined });
    assert.deepEqual(environment({ ROS_DISTRO: 'jazzy', AMENT_PREFIX_PATH: '/opt/ros/jazzy:/ws/install', ATTENDSEG_ADDON: '/x/attendseg.node' }), {
      rosDistro: 'jazzy',
      amentPrefixPath: '/opt/ros/jazzy:/ws/install',
      addonPath: '/x/attendseg.node',
    });
  });

  it('a value that cannot be used is an error naming the variable', () => {
    assert.throws(() => environment({ ROS_DISTRO: 'jazzy\nfoo: 1' }), /environment variable ROS_DISTRO="jazzy\\nfoo: 1" is not a ROS 2 distribution name/);
    assert.throws(() => environment({ ROS_DISTRO: 'Jazzy Jalisco' }), /ROS_DISTRO/);
    assert.throws(() => environment({ ATTENDSEG_ADDON: 'a\u0000b' }), /ATTENDSEG_ADDON/);
    assert.throws(() => environment({ AMENT_PREFIX_PATH: '/opt\r' }), /AMENT_PREFIX_PATH/);
  });

  it('createBag takes ROS_DISTRO through it: a distro that would corrupt metadata.yaml is refused', async () => {
    const tmp = tmpDir('env');
    const saved = process.env.ROS_DISTRO;
    try {
      process.env.ROS_DISTRO = 'jazzy\nstorage_identifier: x';
      await assert.rejects(createBag(path.join(tmp.path, 'b'), { format: 'mcap' }), /ROS_DISTRO/);
    } finally {
      if (saved === undefined) delete process.env.ROS_DISTRO;
      else process.env.ROS_DISTRO = saved;
      tmp.remove();
    }
  });
});
