import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trackingSnippet } from './snippet.js';

test('the snippet names the key and loads the SDK from this server', () => {
  const s = trackingSnippet('ns_w_abc', 'https://stats.example.com');
  assert.match(s, /analytics\._writeKey="ns_w_abc";analytics\._cdn="https:\/\/stats\.example\.com"/);
  assert.match(s, /src="https:\/\/stats\.example\.com\/analytics\.js\/v1\/ns_w_abc\/analytics\.min\.js"/);
  // A hostile origin cannot close the string it is written into.
  assert.doesNotMatch(trackingSnippet('k', 'https://x"><img'), /"><img/);
});
