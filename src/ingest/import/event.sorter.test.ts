import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventSorter } from './event.sorter.js';

async function collect(sorter: EventSorter): Promise<Array<[number, string]>> {
  const out: Array<[number, string]> = [];
  for await (const batch of sorter.sorted(3)) for (const { line, text } of batch) out.push([line, text]);
  return out;
}

test('lines come back by time, ties in file order, through spilled runs', async () => {
  const times = [5, 1, 9, 1, 3, 7, 2, 8, 0, 5, 6, 4];
  for (const runSize of [2, 5, 100]) {
    const sorter = new EventSorter(runSize);
    for (const [i, t] of times.entries()) await sorter.add(t, i + 1, `{"t":${t},"i":${i}}`);
    const got = await collect(sorter);
    sorter.dispose();
    const want = times
      .map((t, i) => ({ t, line: i + 1 }))
      .sort((a, b) => a.t - b.t || a.line - b.line)
      .map(({ t, line }) => [line, `{"t":${t},"i":${line - 1}}`]);
    assert.deepEqual(got, want, `runSize ${runSize}`);
  }
});

test('text with tabs survives a run file', async () => {
  const sorter = new EventSorter(1);
  await sorter.add(2, 1, '{"a":"x\\ty"}\t');
  await sorter.add(1, 2, 'b');
  assert.deepEqual(await collect(sorter), [
    [2, 'b'],
    [1, '{"a":"x\\ty"}\t'],
  ]);
  sorter.dispose();
});
