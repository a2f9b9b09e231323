/**
 * A live site's tracking for benches: `perBatch` page views of returning visitors every 200 ms on
 * /v1/batch with a write key, until stopped; then what was acknowledged and each request's latency.
 *
 * @example
 * const s = startTrackingStream(base, key, 20); // 100 events a second
 * const { sent, failed, ms } = await s.stop();
 */
export function startTrackingStream(base: string, key: string, perBatch: number) {
  const auth = `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
  const ms: number[] = [];
  let sent = 0;
  let failed = 0;
  let on = true;
  const loop = (async () => {
    for (let round = 0; on; round++) {
      const batch = Array.from({ length: perBatch }, (_, i) => ({
        type: 'page',
        anonymousId: `live-${(round * perBatch + i) % 5000}`,
        messageId: `stream-${process.pid}-${Date.now()}-${round}-${i}`,
        properties: { path: '/pricing' },
        context: { page: { url: 'https://example.test/pricing', referrer: 'https://www.google.com/' } },
      }));
      const t = performance.now();
      const r = await fetch(`${base}/v1/batch`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({ batch }),
      }).catch(() => null);
      await r?.arrayBuffer();
      ms.push(performance.now() - t);
      if (r?.ok) sent += perBatch;
      else failed++;
      await new Promise((res) => setTimeout(res, Math.max(0, 200 - (performance.now() - t))));
    }
  })();
  return {
    async stop(): Promise<{ sent: number; failed: number; ms: number[] }> {
      on = false;
      await loop;
      return { sent, failed, ms };
    },
  };
}
