import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isUserError } from '../core/errors.js';
import {
  AttributionInputError,
  attributePathFile,
  attributePathFileSync,
  MODEL_IDS,
  PathFileError,
} from './index.js';

const small = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'small.paths.csv');

describe('attributePathFile', () => {
  it('answers the JSON shape of INTERFACE.md for every model', async () => {
    for (const model of MODEL_IDS) {
      const r = await attributePathFile(small, { model });
      const keys = Object.keys(r);
      assert.deepEqual(keys.slice(0, model === 'markov' ? 5 : 4), [
        'model',
        ...(model === 'markov' ? ['order'] : []),
        'total_conversions',
        'total_value',
        'rows',
      ]);
      assert.equal(r.model, model);
      assert.equal(r.total_conversions, 5);
      assert.equal(r.total_value, 235.25);
      for (const row of r.rows) {
        assert.deepEqual(Object.keys(row), [
          'channel',
          'conversions',
          'value',
          ...(model === 'markov' ? ['removal_effect'] : []),
        ]);
      }
    }
  });

  it('gives the same answer synchronously', async () => {
    const options = { model: 'markov' as const, order: 2, nulls: 'exclude' as const };
    assert.deepEqual(attributePathFileSync(small, options), await attributePathFile(small, options));
  });

  it('rejects bad options before reading, as user errors naming the option', async () => {
    const cases: [Parameters<typeof attributePathFile>[1], string][] = [
      [{ model: 'nope' as never }, 'model'],
      [{ model: 'markov', order: 5 }, 'order'],
      [{ model: 'markov', order: 1.5 }, 'order'],
      [{ model: 'markov', nulls: 'maybe' as never }, 'nulls'],
      [{ model: 'time_decay', halfLifeDays: 0 }, 'half-life'],
    ];
    for (const [options, field] of cases) {
      await assert.rejects(attributePathFile('/does/not/matter', options), (e: unknown) => {
        assert.ok(e instanceof AttributionInputError && isUserError(e));
        assert.equal(e.field, field);
        return true;
      });
    }
    await assert.rejects(attributePathFile('/no/such/file.csv', { model: 'linear' }), PathFileError);
  });
});
