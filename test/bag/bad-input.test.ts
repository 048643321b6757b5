// Damaged and wrong inputs: each is a clear error naming the problem, or, for a truncated MCAP
// file, the readable part with a report of what was skipped.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';

import { openBag } from '../../src/bag';
import { writeImageBag } from '../helpers/bags';
import { tmpDir } from '../helpers/tmp';

async function readAll(p: string) {
  const bag = await openBag(p);
  const topics = bag.topics();
  const got = [];
  for await (const m of bag.messages()) got.push(m);
  await bag.close();
  return { got, topics, problems: bag.problems };
}

describe('bag: bad input', () => {
  const tmp = tmpDir('bag-bad');
  after(() => tmp.remove());
  const bagFile = (dir: string) => path.join(dir, fs.readdirSync(dir).find((f) => f !== 'metadata.yaml')!);

  it('a truncated MCAP file yields the messages before the cut and says what was skipped', async () => {
    const dir = path.join(tmp.path, 'cut');
    // 60x40 rgb8 frames: several chunks, so a cut in the middle keeps whole chunks before it.
    await writeImageBag(dir, 'mcap', 40, [160, 120]);
    const file = bagFile(dir);
    const full = fs.statSync(file).size;
    fs.truncateSync(file, Math.floor(full * 0.6));
    const { got, topics, problems } = await readAll(dir);
    assert.ok(got.length > 10 && got.length < 80, `${got.length} messages read`);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /no usable summary/);
    assert.match(problems[0], /ends inside a record: its last \d+ bytes \(from offset \d+ of \d+\) could not be read/);
    assert.match(problems[0], new RegExp(`${got.length} messages before that were read`));
    assert.equal(topics.reduce((n, t) => n + t.messageCount, 0), got.length);
    for (let i = 1; i < got.length; i++) assert.ok(got[i - 1].logTime <= got[i].logTime);
  });

  it('an MCAP cut right after its header has no messages and says so', async () => {
    const dir = path.join(tmp.path, 'stub');
    await writeImageBag(dir, 'mcap', 2);
    fs.truncateSync(bagFile(dir), 8);
    const { got, problems } = await readAll(dir);
    assert.equal(got.length, 0);
    assert.match(problems[0], /without a footer|ends inside a record/);
  });

  it('a truncated sqlite3 file is an error naming the file', async () => {
    const dir = path.join(tmp.path, 'cutdb');
    await writeImageBag(dir, 'sqlite3', 20, [64, 48]);
    const file = bagFile(dir);
    fs.truncateSync(file, Math.floor(fs.statSync(file).size / 3));
    await assert.rejects(readAll(dir), (e: Error) => e.message.includes(path.basename(file)) && /malformed|not a readable rosbag2 database|reading stopped/.test(e.message));
  });

  it('missing paths, non-bag directories and foreign files are named', async () => {
    await assert.rejects(openBag(path.join(tmp.path, 'nope')), /bag .*nope does not exist/);
    const empty = path.join(tmp.path, 'empty');
    fs.mkdirSync(empty);
    await assert.rejects(openBag(empty), /is not a bag: no metadata.yaml and no .mcap or .db3 file/);
    const junk = path.join(tmp.path, 'junk.mcap');
    fs.writeFileSync(junk, 'hello, this is not a bag at all');
    await assert.rejects(openBag(junk), /junk.mcap is neither an MCAP nor an SQLite file/);
  });

  it('metadata.yaml naming a missing file or the wrong storage is an error', async () => {
    const dir = path.join(tmp.path, 'meta');
    await writeImageBag(dir, 'mcap', 1);
    const meta = path.join(dir, 'metadata.yaml');
    const text = fs.readFileSync(meta, 'utf8');
    fs.writeFileSync(meta, text.replace(/meta_0\.mcap/g, 'other_0.mcap'));
    await assert.rejects(openBag(dir), /bag file .*other_0.mcap does not exist/);
    fs.writeFileSync(meta, text.replace('storage_identifier: mcap', 'storage_identifier: sqlite3'));
    await assert.rejects(openBag(dir), /is mcap but metadata.yaml says sqlite3/);
    fs.writeFileSync(meta, 'rosbag2_bagfile_information: [');
    await assert.rejects(openBag(dir), /metadata.yaml: not valid YAML/);
  });

  it('an sqlite file that is not a rosbag2 database is named', async () => {
    const Database = (await import('better-sqlite3')).default;
    const file = path.join(tmp.path, 'other.db3');
    const db = new Database(file);
    db.exec('CREATE TABLE t(x)');
    db.close();
    await assert.rejects(openBag(file), /other.db3 is not a readable rosbag2 database: it has no 'topics' table/);
  });
});
