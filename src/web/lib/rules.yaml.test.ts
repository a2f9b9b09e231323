import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { rulesToYaml } from './rules.yaml.js';

test('channel rules as YAML read back as the same rules, quotes, regexes and lists included', () => {
  const rules = [
    { channel: 'Events', when: { medium: ['event', 'trade-show'] } },
    { channel: 'Brand "Search"', when: { source: 'google', campaign: '/^brand: \\d+/' } },
    { channel: 'Everything else', when: {} },
  ];
  const text = rulesToYaml(rules);
  assert.equal(
    text,
    '- channel: "Events"\n  when:\n    medium: ["event", "trade-show"]\n' +
      '- channel: "Brand \\"Search\\""\n  when:\n    source: "google"\n    campaign: "/^brand: \\\\d+/"\n' +
      '- channel: "Everything else"\n  when: {}\n',
  );
  assert.deepEqual(parse(text), rules);
  assert.equal(rulesToYaml([]), '');
});
