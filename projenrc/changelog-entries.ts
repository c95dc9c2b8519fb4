/**
 * CHANGELOG.md as text: a title and an introduction, then one `## <version> (<date>)` entry per release, newest first,
 * in the shape commit-and-tag-version writes (the heading links the version to its comparison once there is a
 * previous tag: `## [0.2.0](…/compare/v0.1.0...v0.2.0) (2026-01-02)`).
 */

/** The heading line of a version's entry, bracketed (a link) or not. */
function headingPattern(version: string): RegExp {
  const escaped = version.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^## \\[?${escaped}\\]?[ (]`, 'm');
}

/** A version's entry, heading included, up to the next entry; undefined when the changelog has none for it. */
export function findEntry(changelog: string, version: string): string | undefined {
  const start = changelog.search(headingPattern(version));
  if (start < 0) return undefined;
  const next = changelog.slice(start + 1).search(/^## /m);
  const entry = next < 0 ? changelog.slice(start) : changelog.slice(start, start + 1 + next);
  return `${entry.trim()}\n`;
}

/**
 * The entry to publish: the heading the bump generated, then the notes written by hand for this version when there are
 * any, else the list the bump generated from the commits.
 */
export function composeEntry(generated: string, notes?: string): string {
  const text = generated.trim();
  if (!text.startsWith('## ')) {
    throw new Error(`the generated changelog entry does not start with a "## <version>" heading: ${JSON.stringify(text.slice(0, 80))}`);
  }
  const headingEnd = text.indexOf('\n');
  const heading = headingEnd < 0 ? text : text.slice(0, headingEnd);
  const body = notes?.trim() || (headingEnd < 0 ? '' : text.slice(headingEnd).trim());
  return body ? `${heading}\n\n${body}\n` : `${heading}\n`;
}

/** The changelog with an entry added as the newest: after the title and introduction, before every older entry. */
export function insertEntry(changelog: string, entry: string): string {
  const firstEntry = changelog.search(/^## /m);
  const head = (firstEntry < 0 ? changelog : changelog.slice(0, firstEntry)).trimEnd();
  const older = firstEntry < 0 ? '' : changelog.slice(firstEntry).trim();
  return [head, entry.trim(), older].filter((part) => part).join('\n\n') + '\n';
}
