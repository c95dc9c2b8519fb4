/**
 * The git queries and commands the release steps run (`npm run release`), in the repository of the working directory.
 */
import { execFileSync } from 'child_process';

/** Runs git and returns what it printed, trimmed; a failing command throws with git's own message. */
export function git(...args: string[]): string {
  return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

/** The commit HEAD points at. */
export function headCommit(): string {
  return git('rev-parse', 'HEAD');
}

/** The commit a tag marks, or undefined when there is no such tag. */
export function taggedCommit(tag: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--quiet', '--verify', `refs/tags/${tag}^{commit}`], { encoding: 'utf8', stdio: 'pipe' }).trim();
  } catch {
    return undefined;
  }
}

/**
 * Refuses to release a version whose tag marks another commit. The bump reads the latest tag and the commits since; when
 * there are none, HEAD is behind that tag (a checkout of older history), and a tarball built here would carry the
 * tagged version with other code.
 */
export function assertTagFreeOrAtHead(tag: string): void {
  const tagged = taggedCommit(tag);
  const head = headCommit();
  if (tagged !== undefined && tagged !== head) {
    throw new Error(`${tag} already marks commit ${tagged.slice(0, 12)}, and HEAD (${head.slice(0, 12)}) has no commit ` +
      `after it: release from the tip of the release branch, or from a commit that descends from ${tag}.`);
  }
}

/** The path of a file the bump wrote, from the environment variable the release task sets. */
export function releaseFile(variable: string): string {
  const file = process.env[variable];
  if (!file) throw new Error(`${variable} is not set: run this step through its projen task (npx projen release)`);
  return file;
}
