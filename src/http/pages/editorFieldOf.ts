/** The report editor's header field for a path of the report definition, outside sections and lists. */
function headerFieldOf(path: string): string | undefined {
  if (/^(id|title|timeZone|locale|currency|comparison)$/.test(path)) return path;
  if (path === 'dateRange.start' || path === 'dateRange.end')
    return path === 'dateRange.start' ? 'start' : 'end';
  if (path === 'dateRange') return 'dateRange';
  if (path === 'goal.value') return 'goalValue';
  if (path === 'goal.name') return 'goalName';
  if (path === 'goal' || path.startsWith('goal.')) return 'goalEvent';
  return undefined;
}

/**
 * The editor's field for a path of the report definition: the control nearest the path among
 * the fields the page holds (`names`), a section's JSON box for what no control edits, else the
 * section itself. `sections[1].funnel.steps[2].goal` → `section.1.funnel.steps.2.ref`.
 */
export function editorFieldOf(path: string, names: readonly string[]): string | undefined {
  // A section's type is no field a person fills in (it is fixed when the section is added): its
  // error is said at the top of the page.
  if (/^sections\[\d+\]\.type$/.test(path)) return undefined;
  if (!/^(sections\[|goal\.where|filters|segments|goals\b)/.test(path)) return headerFieldOf(path);
  const known = new Set(names);
  const parts = path
    .replace(/^sections\[(\d+)\]/, 'section.$1')
    .replace(/^goal\.where/, 'goalWhere')
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.');
  for (let n = parts.length; n > 0; n--) {
    const at = parts.slice(0, n).join('.');
    // A list's item or a group at fault: the control that says most about it.
    for (const suffix of ['', '.ref', '.subject', '.0.subject', '.event', '.saved', '.name'])
      if (known.has(`${at}${suffix}`)) return `${at}${suffix}`;
    for (const suffix of ['.0', '.0.name', '.0.pattern', '.stages.0.name'])
      if (known.has(`${at}${suffix}`)) return `${at}${suffix}`;
  }
  const section = /^section\.(\d+)/.exec(parts.join('.'))?.[0];
  if (!section) return undefined;
  return known.has(`${section}.more`) ? `${section}.more` : `${section}.type`;
}
