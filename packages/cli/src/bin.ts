import { runCli } from './cli';

// `pnpm fmnist` runs from the repo root; resolve relative paths against where the user typed it.
if (process.env.INIT_CWD && process.env.npm_lifecycle_event === 'fmnist') process.chdir(process.env.INIT_CWD);

const code = await runCli(process.argv.slice(2), {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  isTTY: process.stderr.isTTY === true && !process.env.CI,
  progress: (text) => process.stderr.write(text),
});
process.exitCode = code;
// Leave even if a library left a handle open (worker threads, sockets): the command is done.
setImmediate(() => process.exit(code));
