/**
 * Channel rules as the YAML the settings page edits: one rule per item, every value a JSON string
 * (which YAML reads as a double-quoted scalar), so any name or regex round-trips without a YAML
 * library in the bundle.
 */
type Condition = string | string[];
export interface RuleText {
  channel: string;
  when: Partial<Record<string, Condition | undefined>>;
}

/**
 * @example
 * rulesToYaml([{ channel: 'Events', when: { medium: ['event', 'tradeshow'] } }])
 * // '- channel: "Events"\n  when:\n    medium: ["event", "tradeshow"]\n'
 */
export function rulesToYaml(rules: readonly RuleText[]): string {
  const value = (c: Condition) =>
    Array.isArray(c) ? `[${c.map((x) => JSON.stringify(x)).join(', ')}]` : JSON.stringify(c);
  return rules
    .map((r) => {
      const when = Object.entries(r.when).filter((e): e is [string, Condition] => e[1] !== undefined);
      const body = when.length ? `\n${when.map(([k, c]) => `    ${k}: ${value(c)}`).join('\n')}` : ' {}';
      return `- channel: ${JSON.stringify(r.channel)}\n  when:${body}\n`;
    })
    .join('');
}
