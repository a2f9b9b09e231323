import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { spoolUpload } from './upload.js';

async function* chunks(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

const BOUNDARY = '----northstar7MA4YWxkTrZu0gW';
const csv = 'id,email\r\nc1,"a@b.co"\r\n--not-a-boundary\r\n';
const form = Buffer.from(
  [
    `preamble to ignore\r\n--${BOUNDARY}\r\n`,
    'Content-Disposition: form-data; name="preset"\r\n\r\nhubspot-contacts\r\n',
    `--${BOUNDARY}\r\n`,
    'Content-Disposition: form-data; name="file"; filename="contacts.csv"\r\nContent-Type: text/csv\r\n\r\n',
    csv,
    `\r\n--${BOUNDARY}\r\n`,
    'Content-Disposition: form-data; name="skip_invalid"\r\n\r\ntrue',
    `\r\n--${BOUNDARY}--\r\n`,
  ].join(''),
);

test('multipart: the file part lands on disk byte for byte, fields come back, in any chunking', async () => {
  for (const size of [1, 3, 7, 64, form.length]) {
    const up = await spoolUpload(chunks(form, size), `multipart/form-data; boundary="${BOUNDARY}"`);
    try {
      assert.equal(readFileSync(up.path, 'utf8'), csv, `chunk ${size}`);
      assert.equal(up.fileName, 'contacts.csv');
      assert.equal(up.contentType, 'text/csv');
      assert.deepEqual(up.fields, { preset: 'hubspot-contacts', skip_invalid: 'true' });
      assert.equal(up.bytes, Buffer.byteLength(csv));
    } finally {
      up.dispose();
    }
  }
});

test('a raw body is written as is; limits and broken forms are user errors', async () => {
  const up = await spoolUpload(chunks(Buffer.from('a,b\n1,2\n'), 3), 'text/csv; charset=utf-8');
  assert.equal(readFileSync(up.path, 'utf8'), 'a,b\n1,2\n');
  assert.equal(up.contentType, 'text/csv');
  up.dispose();
  await assert.rejects(spoolUpload(chunks(Buffer.alloc(100), 10), 'text/csv', 50), /upload over 50 bytes/);
  await assert.rejects(
    spoolUpload(chunks(form.subarray(0, form.length - 10), 16), `multipart/form-data; boundary=${BOUNDARY}`),
    /closing boundary/,
  );
  const noFile = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--${BOUNDARY}--`,
  );
  await assert.rejects(
    spoolUpload(chunks(noFile, 5), `multipart/form-data; boundary=${BOUNDARY}`),
    /no file part/,
  );
});
