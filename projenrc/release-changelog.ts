/**
 * A step of `npm run release`, after the bump and before the build: writes the release's entry into the project's
 * CHANGELOG.md and commits it, so that the tarball the build packs carries it and the tag marks that commit.
 *
 * The bump (projen with commit-and-tag-version) leaves the version in $BUMPFILE, the tag in $RELEASETAG and an entry
 * generated from the Conventional Commits since the last tag in $CHANGELOG. Notes written by hand for a version, in
 * $RELEASE_NOTES/<version>.md, replace the generated list under the entry's heading (the first release summarizes a
 * history that mostly predates the convention); the release commit removes that file, whose text now lives in the
 * changelog. $CHANGELOG ends up holding the entry as published: the tag's annotation.
 *
 * Run again for a version the changelog already holds (a release run twice), it writes and commits nothing.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { composeEntry, findEntry, insertEntry } from './changelog-entries';
import { assertTagFreeOrAtHead, git, releaseFile } from './release-git';

function main(): void {
  const version = readFileSync(releaseFile('BUMPFILE'), 'utf8').trim();
  const releaseEntryFile = releaseFile('CHANGELOG');
  const projectChangelogFile = releaseFile('PROJECT_CHANGELOG');
  assertTagFreeOrAtHead(readFileSync(releaseFile('RELEASETAG'), 'utf8').trim());

  const changelog = existsSync(projectChangelogFile) ? readFileSync(projectChangelogFile, 'utf8') : '';
  const published = findEntry(changelog, version);
  if (published !== undefined) {
    writeFileSync(releaseEntryFile, published);
    console.log(`${projectChangelogFile} already has the entry of ${version}: nothing to write`);
    return;
  }

  const notesFile = path.join(releaseFile('RELEASE_NOTES'), `${version}.md`);
  warnOfNotesForOtherVersions(path.dirname(notesFile), version);
  const notes = existsSync(notesFile) ? readFileSync(notesFile, 'utf8') : undefined;
  const entry = composeEntry(readFileSync(releaseEntryFile, 'utf8'), notes);
  writeFileSync(projectChangelogFile, insertEntry(changelog, entry));
  writeFileSync(releaseEntryFile, entry);

  git('add', projectChangelogFile);
  if (notes !== undefined) git('rm', '--quiet', notesFile);
  git('commit', '--quiet', '--message', `chore(release): ${version}`);
  console.log(`${projectChangelogFile}: added ${version}${notes === undefined ? '' : ` with the notes of ${notesFile}`}, committed`);
}

/** Notes named for another version are kept for it, but a maintainer who expected them in this release should know. */
function warnOfNotesForOtherVersions(notesDir: string, version: string): void {
  const others = existsSync(notesDir) ? readdirSync(notesDir).filter((name) => name.endsWith('.md') && name !== `${version}.md`) : [];
  for (const name of others) {
    console.warn(`${path.join(notesDir, name)} is not used: this release is ${version}`);
  }
}

main();
