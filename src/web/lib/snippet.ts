/**
 * The tracking snippet to paste into a website: Segment's own loader with its CDN set to this server
 * (docs/tracking.md), so analytics-next loads from here and sends here.
 *
 * @example
 * trackingSnippet('ns_w_abc', 'https://stats.example.com') // '<script>\n!function(){…analytics._cdn="https://stats.example.com"…'
 */
export function trackingSnippet(writeKey: string, origin: string): string {
  // In the script: JSON strings that cannot close the <script> element; in the attribute: entities.
  const js = (v: string) => JSON.stringify(v).replace(/</g, '\\u003c');
  const attr = (v: string) =>
    v.replace(/[&"<>]/g, (c) => ({ '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' })[c] ?? c);
  const k = js(writeKey);
  const o = js(origin);
  return `<script>
!function(){var i="analytics",analytics=window[i]=window[i]||[];analytics.methods=["track","page","identify","alias","group","ready"];
analytics.factory=function(e){return function(){var n=Array.prototype.slice.call(arguments);n.unshift(e);analytics.push(n);return analytics}};
for(var n=0;n<analytics.methods.length;n++){var key=analytics.methods[n];analytics[key]=analytics.factory(key)}
analytics._writeKey=${k};analytics._cdn=${o};analytics.page();}();
</script>
<script async src="${attr(`${origin}/analytics.js/v1/${encodeURIComponent(writeKey)}/analytics.min.js`)}"></script>`;
}
