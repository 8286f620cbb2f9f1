#!/usr/bin/env bash
# The packages as users get them: the packed tarballs (built first: `turbo run build`) installed
# into fresh projects outside the workspace. npm and pnpm (whose strict node_modules catches an
# import a package does not declare), ESM and CommonJS, TypeScript with node16 and bundler
# resolution, every package's types with skipLibCheck: false (node16, nodenext), `npx fmnist`, and the tuner alone, without tfjs. Needs the real data installed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/fmnist-consumer-XXXXXX")"
trap 'rm -rf "$work"' EXIT
say() { echo "consumer: $*" >&2; }

for p in core data backend models trainer tuner profiler cli; do
  (cd "$root/packages/$p" && pnpm pack --pack-destination "$work/tarballs" >/dev/null)
done
tgz() { ls "$work"/tarballs/fmnist-"$1"-*.tgz; }
all=$(for p in core data backend models trainer tuner profiler cli; do tgz "$p"; done)
peers="@tensorflow/tfjs-core@4.22.0 @tensorflow/tfjs-layers@4.22.0 onnx-proto@8.0.1"

cat >"$work/app.mjs" <<'EOF'
// What a user's app does: pick the backend, train on the real data, evaluate, export, tune.
import { initBackend } from '@fmnist/backend';
import { DataLoader, loadFashionMnist, stratifiedSubset } from '@fmnist/data';
import { createModel, exportOnnx } from '@fmnist/models';
import { evaluate, fit } from '@fmnist/trainer';
import { createStudy, TPESampler } from '@fmnist/tuner';
const info = await initBackend();
const train = await loadFashionMnist({ split: 'train', download: false });
const test = await loadFashionMnist({ split: 'test', download: false });
const model = createModel('mlp-small', { seed: 0 });
await fit(model, new DataLoader(stratifiedSubset(train, 3000, { seed: 0 }), { batchSize: 64, seed: 0 }), { epochs: 1, seed: 0, optimizer: { name: 'adam', lr: 2e-3 } });
const { accuracy } = await evaluate(model, new DataLoader(test, { batchSize: 1000, shuffle: false }));
await exportOnnx(model, 'model.onnx');
const study = await createStudy({ direction: 'minimize', logger: () => {}, sampler: new TPESampler({ seed: 1 }) });
await study.optimize((t) => (t.suggestFloat('x', -2, 2) - 1) ** 2, { nTrials: 8 });
if (!(accuracy > 0.6)) throw new Error(`accuracy ${accuracy}`);
console.log(JSON.stringify({ backend: info.name, build: info.kernelBuild, accuracy, best: study.bestValue }));
EOF

cat >"$work/app.cjs" <<'EOF'
// CommonJS consumers get the require builds.
require('@tensorflow/tfjs-backend-cpu');
const tf = require('@tensorflow/tfjs-core');
const { createModel, listModels } = require('@fmnist/models');
const { Rng } = require('@fmnist/core');
const { imageSize } = require('@fmnist/data');
const { createStudy } = require('@fmnist/tuner');
tf.setBackend('cpu').then(() => {
  const model = createModel('cnn', { seed: 0 });
  const y = tf.tidy(() => model.predict(tf.zeros([1, 28, 28, 1])));
  if (y.shape.join() !== '1,10' || listModels().length < 6 || typeof createStudy !== 'function') throw new Error('cjs');
  console.log(JSON.stringify({ cjs: true, rng: new Rng(1).int(0, 10), size: imageSize({ height: 28, width: 28, channels: 1 }) }));
});
EOF

cat >"$work/check.ts" <<'EOF'
// Types as a TypeScript user sees them (strict, under node16 and bundler resolution).
import { type BackendInfo, initBackend } from '@fmnist/backend';
import { type ImageDataset, RandomHorizontalFlip } from '@fmnist/data';
import { createModel, exportOnnx, type OnnxExportOptions } from '@fmnist/models';
import { EarlyStopping, fit } from '@fmnist/trainer';
import { createStudy, type Trial } from '@fmnist/tuner';
export async function run(ds: ImageDataset): Promise<BackendInfo> {
  const info = await initBackend({ backend: 'wasm' });
  const model = createModel('cnn', { seed: 0 });
  const options: OnnxExportOptions = { inputLayout: 'nchw' };
  await exportOnnx(model, 'm.onnx', options);
  const study = await createStudy({ direction: 'maximize' });
  await study.optimize((t: Trial) => t.suggestFloat('lr', 1e-4, 1e-1, { log: true }), { nTrials: 1 });
  void new EarlyStopping({ monitor: 'val_loss', patience: 2 });
  void new RandomHorizontalFlip();
  void fit;
  void ds;
  return info;
}
EOF

# Every package's published types as a strict project compiles them (skipLibCheck: false), ESM
# (.d.ts) and CommonJS (.d.cts) under node16 and nodenext resolution: a deep import that Node's
# resolution refuses, a readonly class list refused, a misspelt monitor accepted all fail here.
cat >"$work/strict.mts" <<'EOF'
import * as backend from '@fmnist/backend';
import * as cli from '@fmnist/cli';
import * as core from '@fmnist/core';
import * as data from '@fmnist/data';
import * as models from '@fmnist/models';
import * as profiler from '@fmnist/profiler';
import * as trainer from '@fmnist/trainer';
import * as tuner from '@fmnist/tuner';

// A metric of the user's own callback, registered so that a monitor may name it.
declare module '@fmnist/trainer' {
  interface CustomMetrics {
    val_auc: number;
  }
}

export const entries = [backend, cli, core, data, models, profiler, trainer, tuner];
export async function save(model: ReturnType<typeof models.createModel>): Promise<void> {
  await models.saveModel(model, 'model', { classes: data.FASHION_MNIST_CLASSES });
}
export const monitors = [
  new trainer.EarlyStopping({ monitor: 'val_accuracy', patience: 2 }),
  new trainer.ReduceLROnPlateau({ monitor: 'val_auc', mode: 'max' }),
  // @ts-expect-error: a misspelt metric name does not compile
  new trainer.ModelCheckpoint({ dir: 'checkpoints', monitor: 'val_acc' }),
];
EOF
cp "$work/strict.mts" "$work/strict.cts"

# An error located in tfjs's own .d.ts files is tfjs's (which needs skipLibCheck) and is left out;
# any other (in our .d.ts files, or in strict.*) fails. The browser condition's entries are ESM only.
strict_types() {
  local resolution condition files out ours
  for resolution in node16 nodenext; do
    for condition in node browser; do
      files="strict.mts strict.cts"
      [ "$condition" = browser ] && files="strict.mts --customConditions browser"
      # shellcheck disable=SC2086
      out=$(npx tsc --noEmit --pretty false --strict --skipLibCheck false --target es2022 --module "$resolution" --moduleResolution "$resolution" --types node $files || true)
      ours=$(printf '%s\n' "$out" | grep -E 'error TS[0-9]+' | grep -Ev '(^|/)node_modules/(\.pnpm/[^/]+/node_modules/)?@tensorflow/' || true)
      if [ -n "$ours" ]; then
        say "skipLibCheck: false, moduleResolution $resolution, $condition entries: errors in our types"
        printf '%s\n' "$ours" >&2
        exit 1
      fi
    done
  done
  say "every package's types compile with skipLibCheck: false (node16, nodenext; ESM, CommonJS, browser)"
}

# A bug in the user's own program after initBackend is reported as Node reports it: its error
# first, exit code 1 (tfjs-backend-wasm's handlers made it 40 KB of minified tfjs and code 7).
cat >"$work/bug.mjs" <<'EOF'
import { initBackend } from '@fmnist/backend';
await initBackend({ backend: 'wasm' });
throw new Error('my bug');
EOF

user_error() {
  local status=0 stderr
  stderr=$(node bug.mjs 2>&1 >/dev/null) || status=$?
  # Node's own report: the throwing line of bug.mjs, a caret, then the error and its stack.
  if [ "$status" != 1 ] || [[ "$stderr" != *"bug.mjs:3"$'\n'"throw new Error('my bug');"$'\n'*$'\n\nError: my bug\n'* ]] || [ "${#stderr}" -gt 2000 ]; then
    say "a user's error after initBackend: exit code $status, stderr of ${#stderr} characters:"
    printf '%s\n' "$stderr" | head -c 600 >&2
    exit 1
  fi
}

# What a user does after training: classify a photo (a JPEG of any size, light background) with one
# call, and open the training curves in TensorBoard's own reader.
cat >"$work/photo.mjs" <<'EOF'
import { initBackend } from '@fmnist/backend';
import { DataLoader, loadFashionMnist, stratifiedSubset } from '@fmnist/data';
import { createModel, predict } from '@fmnist/models';
import { fit, TensorBoard } from '@fmnist/trainer';
await initBackend();
const train = await loadFashionMnist({ split: 'train' });
const test = await loadFashionMnist({ split: 'test' });
const model = createModel('mlp-small', { seed: 0 });
const history = await fit(model, new DataLoader(stratifiedSubset(train, 3000, { seed: 0 }), { batchSize: 64, seed: 0 }), {
  epochs: 3,
  seed: 0,
  optimizer: { name: 'adam', lr: 3e-3 },
  validation: stratifiedSubset(test, 1000, { seed: 1 }),
  callbacks: [new TensorBoard({ logDir: 'runs/a' })],
});
const photo = await predict(model, 'garment.jpg', { topK: 3 });
const pixels = await predict(model, test.images.subarray(0, 784));
console.log(JSON.stringify({ photo: photo.top[0], pixels: pixels.top[0][0].className, loss: history.epochs.map((e) => e.loss), valLoss: history.epochs.map((e) => e.val_loss) }));
EOF

photo_and_curves() {
  if ! /usr/bin/python3 -c 'import PIL' 2>/dev/null; then say "no Pillow: photo and TensorBoard checks skipped"; [ -z "${CI:-}" ] || exit 1; return 0; fi
  # Test image 0 (an ankle boot) as a phone photo would have it: dark on light, 112x112, RGB, JPEG.
  /usr/bin/python3 - <<'PY'
import gzip
from PIL import Image, ImageOps
raw = gzip.open('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz').read()[16:16 + 784]
img = ImageOps.invert(Image.frombytes('L', (28, 28), raw)).resize((112, 112), Image.BICUBIC).convert('RGB')
img.save('garment.jpg', quality=90)
PY
  rm -rf runs
  local out
  out=$(node photo.mjs | tail -1)
  node -e '
const r = JSON.parse(process.argv[1]);
if (r.photo.length !== 3 || r.photo[0].className !== r.pixels) throw new Error(`the photo was classified ${JSON.stringify(r.photo)}, the pixels ${r.pixels}`);
' "$out"
  if PYTHONPATH="$root/.fmnist-cache/python" /usr/bin/python3 -c 'import tensorboard' 2>/dev/null; then
    PYTHONPATH="$root/.fmnist-cache/python" /usr/bin/python3 - "$out" <<'PY'
import json, struct, sys
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
r = json.loads(sys.argv[1])
f32 = lambda v: struct.unpack('f', struct.pack('f', v))[0]
for run, key in (('train', 'loss'), ('validation', 'valLoss')):
    acc = EventAccumulator(f'runs/a/{run}')
    acc.Reload()
    got = [(e.step, e.value) for e in acc.Scalars('epoch_loss')]
    want = [(i, f32(v)) for i, v in enumerate(r[key])]
    assert got == want, (run, got, want)
PY
    say "a JPEG classified in one call ($(node -e 'const r = JSON.parse(process.argv[1]); console.log(r.photo[0].className, r.photo[0].probability.toFixed(3))' "$out")); TensorBoard's reader reads the curves back"
  else
    say "a JPEG classified in one call; no tensorboard in .fmnist-cache/python (bootstrap with FMNIST_PIP_EXTRA=tensorboard): curves not read back"
    [ -z "${CI:-}" ] || exit 1
  fi
}

run_app() {
  node app.mjs | tail -1
  node app.cjs | tail -1
  npx fmnist models --json >/dev/null
  npx fmnist --help | grep -q 'Usage: fmnist'
  for resolution in node16 bundler; do
    module=$([ "$resolution" = node16 ] && echo node16 || echo esnext)
    npx tsc --noEmit --strict --skipLibCheck --target es2022 --module "$module" --moduleResolution "$resolution" --types node check.ts
  done
  strict_types
  user_error
  photo_and_curves
}

say "npm project"
mkdir "$work/npm" && cd "$work/npm" && cp "$work"/app.* "$work"/check.ts "$work"/strict.* "$work"/bug.mjs "$work"/photo.mjs .
npm init -y >/dev/null
# shellcheck disable=SC2086
npm install --no-audit --no-fund --loglevel=error $all $peers @tensorflow/tfjs-backend-cpu@4.22.0 typescript@5 @types/node@20 >/dev/null
# WebGL and WebGPU are optional peers for browsers: a Node project does not get them.
for b in webgl webgpu; do
  if [ -e "node_modules/@tensorflow/tfjs-backend-$b" ]; then say "a Node install pulled in tfjs-backend-$b"; exit 1; fi
done
run_app
say "size, every package (npm): $(du -sh node_modules | cut -f1)"
# The same project on the Node versions users run (22 and 24 LTS, from the npm registry).
for version in ${FMNIST_NODE_LEGS:-22 24}; do
  say "npm project on Node $version"
  npx -y -p "node@$version" -- node app.mjs | tail -1
  npx -y -p "node@$version" -- node app.cjs | tail -1
  npx -y -p "node@$version" -- node node_modules/@fmnist/cli/dist/bin.js --help | grep -q 'Usage: fmnist'
done

say "pnpm project"
mkdir "$work/pnpm" && cd "$work/pnpm" && cp "$work"/app.* "$work"/check.ts "$work"/strict.* "$work"/bug.mjs "$work"/photo.mjs .
# pnpm resolves a tarball's own @fmnist dependencies from the registry: point them at the tarballs.
node -e '
const [dir, ...extra] = process.argv.slice(1);
const tarballs = Object.fromEntries(require("node:fs").readdirSync(dir).map((f) => ["@fmnist/" + f.replace(/^fmnist-(.*)-\d+\.\d+\.\d+\.tgz$/, "$1"), `file:${dir}/${f}`]));
const deps = { ...tarballs, ...Object.fromEntries(extra.map((s) => { const i = s.lastIndexOf("@"); return [s.slice(0, i), s.slice(i + 1)]; })) };
console.log(JSON.stringify({ name: "consumer", private: true, dependencies: deps, pnpm: { overrides: tarballs } }, null, 2));
' "$work/tarballs" $peers @tensorflow/tfjs-backend-cpu@4.22.0 typescript@5 @types/node@20 >package.json
pnpm install --reporter=silent >/dev/null
run_app

say "the tuner alone"
mkdir "$work/tuner" && cd "$work/tuner"
npm init -y >/dev/null
npm install --no-audit --no-fund --loglevel=error "$(tgz core)" "$(tgz tuner)" >/dev/null
if [ -e node_modules/@tensorflow ]; then say "the tuner pulled in tfjs"; exit 1; fi
cat >tune.mjs <<'EOF'
import { createStudy, JournalFileStorage, TPESampler } from '@fmnist/tuner';
const study = await createStudy({ studyName: 's', storage: new JournalFileStorage('journal.log'), direction: 'minimize', logger: () => {}, sampler: new TPESampler({ seed: 0 }) });
await study.optimize((t) => (t.suggestFloat('x', -3, 3) + 1) ** 2, { nTrials: 10 });
console.log(JSON.stringify({ tuner: true, trials: study.trials.length, best: study.bestValue }));
EOF
node tune.mjs
say "size, the tuner alone: $(du -sh node_modules | cut -f1)"

say "the models alone"
mkdir "$work/models" && cd "$work/models"
npm init -y >/dev/null
npm install --no-audit --no-fund --loglevel=error "$(tgz core)" "$(tgz data)" "$(tgz models)" @tensorflow/tfjs-core@4.22.0 @tensorflow/tfjs-layers@4.22.0 @tensorflow/tfjs-backend-cpu@4.22.0 >/dev/null
node --input-type=module -e "import '@tensorflow/tfjs-backend-cpu'; import { createModel } from '@fmnist/models'; console.log(JSON.stringify({ models: createModel('cnn', { seed: 0 }).countParams() }))"
say "size, @fmnist/models with tfjs-core, -layers and -backend-cpu: $(du -sh node_modules | cut -f1)"
say "ok"
