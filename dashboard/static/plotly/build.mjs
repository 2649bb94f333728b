// Builds plotly-ruhr.min.js, the partial plotly.js bundle the dashboard serves instead of
// Dash's full plotly.min.js. `make plotly-bundle` runs it; needs node and the npm registry.
//
// Same recipe as plotly.js's own dist bundles (esbuild-config.js and tasks/ of the plotly.js
// repository): esbuild, IIFE with globalName Plotly, target es2016, minified, the attribute
// descriptions stripped (tasks/compress_attributes.js), CSS inlined as a <style> element,
// the same UMD wrapper that sets window.Plotly, and the licence header. Left out, because
// the traces here never load them: the glsl plugin (WebGL traces only) and the stream alias.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';

// Pinned. PLOTLY_JS must be the version plotly.py ships (plotly.offline.get_plotlyjs_version());
// the app falls back to plotly.py's full bundle when they differ. BEFORE resolves plotly.js's
// own dependency ranges as they stood when 4.1.1 was published, so that rebuilds match.
const PLOTLY_JS = '4.1.1';
const ESBUILD = '0.28.2';
const BEFORE = '2026-09-15T00:00:00Z';
const NAME = 'ruhr';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../../..');
const CACHE = join(ROOT, '.cache', 'plotly-build');
const OUT = join(HERE, `plotly-${NAME}.min.js`);

function installed(pkg) {
    const file = join(CACHE, 'node_modules', pkg, 'package.json');
    return existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).version;
}

if (installed('plotly.js') !== PLOTLY_JS || installed('esbuild') !== ESBUILD) {
    execFileSync('npm', [
        'install', '--prefix', CACHE, '--no-save', '--no-package-lock', '--no-audit',
        '--no-fund', '--ignore-scripts', `--before=${BEFORE}`,
        `plotly.js@${PLOTLY_JS}`, `esbuild@${ESBUILD}`,
    ], { stdio: 'inherit' });
}

const require = createRequire(join(CACHE, 'node_modules', '_'));
const esbuild = require('esbuild');
const NODE_MODULES = join(CACHE, 'node_modules');

// plotly.js's strip-meta esbuild plugin (formerly tasks/compress_attributes.js): drop the
// attribute descriptions (schema documentation, never used when drawing). Applied to
// plotly.js's own sources only; they are the only files that carry them.
const meta = (source) => new RegExp(`\\s*${source},?`, 'g');
const stripped = [
    meta("description: '.*'"),
    meta('description: \\[[\\s\\S]*?\\]\\.join\\([\\s\\S]*?\\)'),
    meta('requiredOpts: \\[[\\s\\S]*?\\]'),
    meta('otherOpts: \\[[\\s\\S]*?\\]'),
    meta("role: '.*'"),
    meta("hrName: '.*'"),
];

const compressAttributes = {
    name: 'compress-attributes',
    setup(build) {
        build.onLoad({ filter: /[\\/]plotly\.js[\\/]src[\\/].*\.js$/ }, (args) => {
            let code = readFileSync(args.path, 'utf8');
            for (const regex of stripped) code = code.replace(regex, '');
            return { contents: code, loader: 'js' };
        });
    },
};

// esbuild-plugin-inline-css, as plotly.js uses it for maplibre-gl.css, but with an id that
// does not depend on where the checkout lives (that plugin hashes the absolute path).
const inlineCss = {
    name: 'inline-css',
    setup(build) {
        build.onLoad({ filter: /\.css$/ }, (args) => {
            const id = createHash('sha256')
                .update(relative(NODE_MODULES, args.path).split('\\').join('/'))
                .digest('hex');
            const css = JSON.stringify(readFileSync(args.path, 'utf8'));
            return {
                loader: 'js',
                contents: `(function(){if(!document.getElementById('${id}')){` +
                    `var e=document.createElement('style');e.id='${id}';e.textContent=${css};` +
                    'document.head.appendChild(e);}})();',
            };
        });
    },
};

const result = await esbuild.build({
    entryPoints: [join(HERE, 'entry.js')],
    absWorkingDir: CACHE, // paths in the licence comments: node_modules/…, not this machine's
    nodePaths: [NODE_MODULES],
    format: 'iife',
    globalName: 'Plotly',
    bundle: true,
    minify: true,
    sourcemap: false,
    target: 'es2016',
    legalComments: 'eof',
    plugins: [inlineCss, compressAttributes],
    alias: { regl: '@plotly/regl' },
    define: { global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false' },
    write: false,
    logLevel: 'warning',
});
const code = new TextDecoder().decode(result.outputFiles[0].contents);

// The licence header of plotly.js's own dist/plotly.min.js, named as its partial bundles
// are (tasks/partial_bundle.mjs), and the UMD wrapper of tasks/util/bundle_wrapper.mjs.
const distHeader = /^\/\*\*[\s\S]*?\*\//.exec(
    readFileSync(join(NODE_MODULES, 'plotly.js', 'dist', 'plotly.min.js'), 'utf8'))[0];
const traces = [...readFileSync(join(HERE, 'entry.js'), 'utf8')
    .matchAll(/require\('plotly\.js\/lib\/(\w+)'\)/g)]
    .map((m) => m[1])
    .filter((t) => t !== 'core');
const header = [
    distHeader.replace('plotly.js', `plotly.js (${NAME} - minified)`),
    `/* Partial bundle: core (scatter) + ${traces.join(', ')}. ` +
        'Built by dashboard/static/plotly/build.mjs. */',
].join('\n');
const bundle = [
    header,
    '(',
    ' function(root, factory) {',
    '  if (typeof module === "object" && module.exports) {',
    '   module.exports = factory();',
    '  } else {',
    '   root.moduleName = factory();',
    '  }',
    '} (typeof self !== "undefined" ? self : this, () => {',
    code.trimEnd(),
    'window.Plotly = Plotly;',
    'return Plotly;',
    '}));',
    '',
].join('\n');

// Served as is to browsers that accept brotli (nearly all): quality 11 takes ~15 s, too slow
// for the server to do on start-up or per request, so it is done here, once.
const bytes = Buffer.from(bundle);
const br = brotliCompressSync(bytes, {
    params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length },
});
writeFileSync(OUT, bytes);
writeFileSync(`${OUT}.br`, br);
const size = (n) => `${n.toLocaleString('en')} B`;
console.log(`${relative(ROOT, OUT)}: ${size(bytes.length)}, ` +
    `gzip -9 ${size(gzipSync(bytes, { level: 9 }).length)}, brotli 11 ${size(br.length)} (.br)`);
