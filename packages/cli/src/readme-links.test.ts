import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { marked, type Token } from 'marked';
import { afterAll, describe, expect, it } from 'vitest';

// No link to a file the package does not ship: every Markdown file of each packed tarball (what
// npm users get, `pnpm pack` as scripts/consumer-test.sh packs it), parsed by marked, has only
// absolute links or relative links to files inside that tarball. A link to the repository's other
// files is an absolute https URL formed from package.json's `repository`.
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const packages = readdirSync(join(root, 'packages')).sort();
const work = mkdtempSync(join(tmpdir(), 'readme-links-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A Markdown text's references to files: link and image targets (inline, reference-style, HTML
 * `href`/`src`) and the path-like words (`a/b`, no scheme) of its code spans and prose. */
function fileReferences(markdown: string): { links: string[]; paths: string[] } {
  const links: string[] = [];
  const paths = new Set<string>();
  const linkText = new WeakSet<Token>(); // a link's own words name its target, checked as a link
  marked.walkTokens(marked.lexer(markdown), (token: Token) => {
    if (linkText.has(token)) {
      for (const child of ('tokens' in token && token.tokens) || []) linkText.add(child);
      return;
    }
    if (token.type === 'link' || token.type === 'image') {
      links.push(token.href);
      for (const child of token.tokens ?? []) linkText.add(child);
    }
    if (token.type === 'html') for (const m of token.raw.matchAll(/\b(?:href|src)\s*=\s*["']([^"']+)["']/g)) links.push(m[1]);
    if ((token.type === 'codespan' || (token.type === 'text' && !('tokens' in token && token.tokens))) && 'text' in token) {
      for (const word of token.text.split(/[\s`'"(),;:]+/)) {
        if (/^(\.{1,2}\/)?[\w@.-]+(\/[\w@.*-]+)+\/?$/.test(word) && !word.startsWith('@')) paths.add(word.replace(/[.]$/, ''));
      }
    }
  });
  return { links, paths: [...paths] };
}

/** The references of `markdown` (the file `file` inside the package `dir`) to files `shipped` lacks:
 * every relative link, and every path-like word naming a file or folder that exists in the
 * repository (beside the package or at the root) but not in the tarball. */
function missingReferences(markdown: string, file: string, shipped: ReadonlySet<string>, dir: string, repoRoot: string): string[] {
  const resolve = (target: string) => posix.normalize(posix.join(posix.dirname(file), decodeURI(target.replace(/[#?].*$/, '')))).replace(/\/$/, '');
  const isShipped = (path: string) => !path.startsWith('..') && (shipped.has(path) || [...shipped].some((f) => f.startsWith(`${path}/`)));
  const { links, paths } = fileReferences(markdown);
  const badLinks = links.filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith('#') && !t.startsWith('//') && !isShipped(resolve(t)));
  const badPaths = paths.filter((word) => {
    const path = resolve(word.replace(/\*.*$/, ''));
    if (isShipped(path)) return false;
    return existsSync(join(dir, path)) || existsSync(join(repoRoot, word.replace(/\*.*$/, '')));
  });
  return [...badLinks, ...badPaths];
}

/** The repository's web URL from package.json's `repository` (`git+https://….git` or a string). */
function repositoryUrl(pkg: { repository?: string | { url?: string } }): string {
  const url = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  if (!url) throw new Error('package.json: repository is missing (expected { type, url, directory })');
  return url.replace(/^git\+/, '').replace(/\.git$/, '');
}

describe('fileReferences / missingReferences', () => {
  it('finds inline, reference and HTML links, and paths in code spans and prose, not in code blocks', () => {
    const md =
      '[a](src/x.ts) ![i](img.png) [r][ref] `[c](code.md)` <a href="bench/y.md">y</a> run `node bench/z.mjs --fast`, see examples/web, [docs/w.md](https://x.org/docs/w.md).\n\n[ref]: docs/z.md\n\n```sh\nnode scripts/q.py\n```\n';
    expect(fileReferences(md)).toEqual({
      links: ['src/x.ts', 'img.png', 'docs/z.md', 'bench/y.md', 'https://x.org/docs/w.md'],
      paths: ['bench/z.mjs', 'examples/web'],
    });
  });
  it('keeps absolute URLs, anchors and shipped files; flags links to the rest and paths the repository has', () => {
    const shipped = new Set(['README.md', 'LICENSE', 'dist/index.js', 'src/index.ts']);
    const md =
      '[gh](https://github.com/fmnist/fmnist) [h](#install) [l](./LICENSE) [d](dist) [t](src/a.test.ts#L3) [up](../../README.md) `src/index.ts` `src/readme-links.test.ts` `scripts/consumer-test.sh` `out/cnn` images/s';
    expect(missingReferences(md, 'README.md', shipped, join(root, 'packages', 'cli'), root)).toEqual([
      'src/a.test.ts#L3',
      '../../README.md',
      'src/readme-links.test.ts',
      'scripts/consumer-test.sh',
    ]);
  });
});

// Packing does not depend on Node's version: not rerun on the Node legs.
describe.skipIf(process.env.FMNIST_NODE_LEG)('links in the packed packages', () => {
  it.each(packages)('@fmnist/%s links only to files its tarball holds', (name) => {
    const dir = join(root, 'packages', name);
    const dest = join(work, name);
    execFileSync('pnpm', ['pack', '--pack-destination', dest], { cwd: dir, stdio: 'pipe' });
    const tarball = join(dest, readdirSync(dest)[0]);
    const entries = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((e) => e.replace(/^package\//, ''));
    const shipped = new Set(entries);
    expect(shipped.has('LICENSE'), 'LICENSE').toBe(true);
    const repo = repositoryUrl(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')));
    const broken: string[] = [];
    for (const file of entries.filter((e) => e.endsWith('.md'))) {
      const markdown = execFileSync('tar', ['-xzOf', tarball, `package/${file}`], { encoding: 'utf8' });
      for (const target of missingReferences(markdown, file, shipped, dir, root)) {
        const inPackage = existsSync(join(dir, target.replace(/[#?*].*$/, '')));
        broken.push(`${file}: ${target} is not in the tarball: link ${repo}/blob/main/${inPackage ? `packages/${name}/` : ''}${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
