/**
 * Stands in for the `level` package in the bundled local runtime. dynalite requires `level` (LevelDB on disk,
 * through the native addon of `classic-level`) when it loads, but the local runtime only ever runs it in memory
 * (`memory-level`), so the bundle carries this instead of a native addon.
 */
export class Level {
  constructor() {
    throw new Error('dynalite on disk is not available in the local runtime; it runs in memory');
  }
}
