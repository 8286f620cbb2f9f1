#!/usr/bin/env python3
"""PyTorch baseline for `fmnist bench`: the zoo's four architectures, the same batch sizes
(train 64 with Adam, inference 1024), images/s after a warm-up, one JSON line per measurement
with the fields `fmnist bench --json` prints (backend "torch"). Needs python3-torch (Debian:
`apt-get install -y python3-torch`); not part of CI.

    /usr/bin/python3 scripts/torch-bench.py [--threads 2] [--min-time 3] [--model mlp-small,cnn] [--mode train|infer|both] [--batch B] [--device cpu|cuda]

`--device cuda` puts the model and its inputs on the GPU, warms up longer (CUDA's lazy
initialisation, cuDNN's algorithm choice), waits for the GPU (`torch.cuda.synchronize()`) before
the clock starts and after every timed batch, and adds `device` and `peakCudaMb` (the most memory
PyTorch's allocator held) to each record. Without a CUDA build or a GPU it says so on stderr and
exits 1. The cpu records are unchanged (no `device` field).
"""
import argparse
import json
import resource
import sys
import time

import torch
from torch import nn


def mlp(hidden):
    layers, width = [], 784
    for h in hidden:
        layers += [nn.Linear(width, h), nn.ReLU()]
        width = h
    return nn.Sequential(nn.Flatten(), *layers, nn.Linear(width, 10))


def cnn():
    # conv3x3(32) BN ReLU pool, conv3x3(64) BN ReLU pool, 128 ReLU drop .4, 64 ReLU drop .4, 10
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Dropout(0.4),
        nn.Linear(128, 64), nn.ReLU(), nn.Dropout(0.4), nn.Linear(64, 10))


def vgg_style():
    # (conv3x3 BN ReLU) x 2, pool, for 64 and 128 filters; 256 ReLU, dropout .5, 10
    layers, channels = [], 1
    for width in (64, 128):
        for _ in range(2):
            layers += [nn.Conv2d(channels, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU()]
            channels = width
        layers.append(nn.MaxPool2d(2))
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(128 * 7 * 7, 256), nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, 10))


MODELS = {
    'mlp-small': (lambda: mlp([128, 64]), False),
    'mlp-wide': (lambda: mlp([512, 512]), False),
    'cnn': (cnn, True),
    'vgg-style': (vgg_style, True),
}


def measure(step, batch, min_time, warmup=2, sync=None):
    for _ in range(warmup):
        step()
    if sync:
        sync()
    steps, start = 0, time.perf_counter()
    while True:
        step()
        if sync:
            sync()
        steps += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_time and steps >= 3:
            return batch * steps / elapsed, 1000 * elapsed / steps


def with_device(record, cuda):
    """The record as printed: on cuda, plus `device`, the allocator's peak since the last one, the GPU's
    name (`gpu`) and the torch version (`torch`)."""
    if not cuda:
        return record
    peak = torch.cuda.max_memory_allocated() / 2**20
    torch.cuda.reset_peak_memory_stats()
    return {**record, 'device': 'cuda', 'peakCudaMb': round(peak, 1), 'gpu': torch.cuda.get_device_name(0), 'torch': torch.__version__}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--min-time', type=float, default=3.0)
    parser.add_argument('--model', default=','.join(MODELS))
    parser.add_argument('--mode', choices=['train', 'infer', 'both'], default='both')
    parser.add_argument('--device', choices=['cpu', 'cuda'], default='cpu')
    parser.add_argument('--batch', type=int, help='batch size for both modes (as fmnist bench --batch); default 64 for train, 1024 for infer')
    args = parser.parse_args()
    cuda = args.device == 'cuda'
    if cuda and not torch.cuda.is_available():
        build = f'built with CUDA {torch.version.cuda}' if torch.version.cuda else 'a CPU-only build'
        print(f'torch-bench: --device cuda: CUDA is not available (torch {torch.__version__}, {build}, '
              f'{torch.cuda.device_count()} GPU(s) visible)', file=sys.stderr)
        sys.exit(1)
    device = torch.device(args.device)
    # CUDA initialises lazily and picks cuDNN algorithms on first use: warm up longer there.
    warmup = 10 if cuda else 2
    sync = torch.cuda.synchronize if cuda else None
    if cuda:
        print(f'torch-bench: {torch.cuda.get_device_name(0)}, torch {torch.__version__}, CUDA {torch.version.cuda}', file=sys.stderr)
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    for name in args.model.split(','):
        make, image = MODELS[name]
        model = make().to(device)
        shape = (1, 28, 28) if image else (784,)
        train_batch = args.batch or 64
        infer_batch = args.batch or 1024
        x = torch.rand(train_batch, *shape).to(device)
        y = torch.randint(0, 10, (train_batch,)).to(device)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()

        def train_step():
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            loss.item()

        if args.mode != 'infer':
            model.train()
            ips, ms = measure(train_step, train_batch, args.min_time, warmup, sync)
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            record = {'model': name, 'mode': 'train', 'backend': 'torch', 'batch': train_batch, 'imagesPerSecond': ips, 'msPerStep': ms, 'peakRssMb': rss}
            print(json.dumps(with_device(record, cuda)), flush=True)
        if args.mode == 'train':
            continue
        model.eval()
        xi = torch.rand(infer_batch, *shape).to(device)

        def infer_step():
            with torch.no_grad():
                model(xi).argmax(1)

        ips, ms = measure(infer_step, infer_batch, args.min_time, warmup, sync)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        record = {'model': name, 'mode': 'infer', 'backend': 'torch', 'batch': infer_batch, 'imagesPerSecond': ips, 'msPerStep': ms, 'peakRssMb': rss}
        print(json.dumps(with_device(record, cuda)), flush=True)


if __name__ == '__main__':
    main()
