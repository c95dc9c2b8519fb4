/**
 * The first step of `npm run release`: refuses a work tree with changes. The release commits CHANGELOG.md, tags that
 * commit and packs the work tree, so an uncommitted change would be swept into the release commit or shipped in a
 * tarball that its tag does not describe.
 */
import { git } from './release-git';

const changes = git('status', '--porcelain');
if (changes) {
  console.error(`Commit or stash these changes before releasing: the tag must describe exactly what is packed.\n${changes}`);
  process.exit(1);
}
