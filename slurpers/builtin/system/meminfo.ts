/** /proc/meminfo as bytes per field (`MemTotal: 24684092 kB` → MemTotal: 25276510208); counts without a unit stay counts. */
export function parseMeminfo(text: string): Map<string, number> {
  const fields = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([^:]+):\s+(\d+)(\s+kB)?$/.exec(line.trim());
    if (match) fields.set(match[1], Number(match[2]) * (match[3] ? 1024 : 1));
  }
  return fields;
}
