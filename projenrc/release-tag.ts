/**
 * The last step of `npm run release`, once the build, its tests and the tarball's dry-run publish have passed: tags the
 * release commit with an annotated tag whose message is the release's changelog entry. A tag that already marks HEAD
 * (a release run twice) is left as it is.
 */
import { readFileSync } from 'fs';
import { assertTagFreeOrAtHead, git, headCommit, releaseFile, taggedCommit } from './release-git';

const tag = readFileSync(releaseFile('RELEASETAG'), 'utf8').trim();
assertTagFreeOrAtHead(tag);
if (taggedCommit(tag) === headCommit()) {
  console.log(`${tag} already marks HEAD: nothing to tag`);
} else {
  // verbatim: git's default cleanup would strip the entry's Markdown headings as comment lines
  git('tag', '--annotate', '--cleanup=verbatim', tag, '--file', releaseFile('CHANGELOG'));
  console.log(`Tagged ${tag}. To publish: git push --follow-tags, then npm publish dist/js/*.tgz`);
}
