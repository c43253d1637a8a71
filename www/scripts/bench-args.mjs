// What the page's bench scripts share: their command line (`--name value` options, a file
// argument) and the median they print.

const args = process.argv.slice(2);

/** The value after `--name`, else `fallback`. */
export function option(name, fallback) {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
}

/** Whether the flag `--name` was given. */
export const flag = (name) => args.includes(`--${name}`);

/** The first argument that is neither an option nor an option's value; exits with `usage` without one. */
export function fileArgument(usage) {
  const file = args.find((arg, i) => !arg.startsWith('--') && !args[i - 1]?.startsWith('--'));
  if (!file) {
    console.error(`usage: ${usage}`);
    process.exit(2);
  }
  return file;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
