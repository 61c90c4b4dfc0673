/** The package version: part of every cache key, so a new release never serves an old result. */
export const VERSION = '0.1.0';
