// Builds static/govuk/ from npm packages: `npm ci && npm run build`.
//
//   static/govuk/console.css              frontend/console.scss compiled (compressed)
//   static/govuk/govuk-frontend.min.js    GOV.UK Frontend's ES module (+ its source map)
//   static/govuk/htmx.min.js              htmx 2
//   static/govuk/assets/...               only the images the CSS refers to; never fonts
//
// The output directory is wiped first, so the result depends only on the lock file.

import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

import * as sass from 'sass'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const out = join(root, 'static', 'govuk')
const require = createRequire(import.meta.url)
const govukDist = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist', 'govuk')
const htmxDist = join(dirname(require.resolve('htmx.org/package.json')), 'dist')

// Must match $govuk-assets-path in frontend/console.scss.
const ASSETS_URL = '/static/govuk/assets/'

function fail (message) {
  console.error(`build failed: ${message}`)
  process.exit(1)
}

function copy (from, to) {
  if (!existsSync(from)) fail(`missing ${relative(root, from)} (run npm ci)`)
  mkdirSync(dirname(to), { recursive: true })
  copyFileSync(from, to)
  console.log(`  ${relative(root, to)}`)
}

rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })

// 1. Sass. govuk-frontend v5 is written with @import; keep its deprecation warnings quiet
//    (quietDeps) and silence only the `import` deprecation for our own entry file.
const result = sass.compile(join(root, 'frontend', 'console.scss'), {
  style: 'compressed',
  sourceMap: false,
  importers: [new sass.NodePackageImporter(root)],
  quietDeps: true,
  silenceDeprecations: ['import']
})
const css = result.css

// House rule: never the GDS Transport font, never any font file.
if (/GDS Transport/i.test(css)) fail('console.css mentions GDS Transport')
if (/@font-face/i.test(css)) fail('console.css declares @font-face')
if (!css.includes('font-family:Arial,"Helvetica Neue",Helvetica,sans-serif')) {
  fail('console.css does not use the Arial font stack')
}

writeFileSync(join(out, 'console.css'), css + '\n')
console.log(`  ${relative(root, join(out, 'console.css'))}`)

// 2. Assets the CSS refers to. Collectstatic's manifest storage refuses a CSS url() whose
//    file is missing, so copy exactly those. The package's other images (favicons, app
//    icons, crest, manifest.json) carry the crown or the GOV.UK brand and are not ours.
const urls = [...new Set([...css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)].map((m) => m[1]))]
for (const url of urls.sort()) {
  if (url.startsWith('data:')) continue
  if (!url.startsWith(ASSETS_URL)) fail(`console.css refers to ${url}, outside ${ASSETS_URL}`)
  const path = url.slice(ASSETS_URL.length).split(/[?#]/)[0]
  if (path.startsWith('fonts/')) fail(`console.css refers to a font file: ${url}`)
  copy(join(govukDist, 'assets', path), join(out, 'assets', path))
}

// 3. JavaScript. The min.js ends with a sourceMappingURL comment, which collectstatic's
//    manifest storage follows, so the map travels with it.
copy(join(govukDist, 'govuk-frontend.min.js'), join(out, 'govuk-frontend.min.js'))
copy(join(govukDist, 'govuk-frontend.min.js.map'), join(out, 'govuk-frontend.min.js.map'))
copy(join(htmxDist, 'htmx.min.js'), join(out, 'htmx.min.js'))

console.log('static/govuk built')
