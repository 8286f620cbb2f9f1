#!/usr/bin/env python3
"""PyTorch CPU baseline for `fmnist bench`: the zoo's four architectures, the same batch sizes
(train 64 with Adam, inference 1024), images/s after a warm-up, one JSON line per measurement
with the fields `fmnist bench --json` prints (backend "torch"). Needs python3-torch (Debian:
`apt-get install -y python3-torch`); not part of CI.

    /usr/bin/python3 scripts/torch-bench.py [--threads 2] [--min-time 3] [--model mlp-small,cnn] [--mode train|infer|both]
"""
import argparse
import json
import resource
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


def measure(step, batch, min_time):
    for _ in range(2):
        step()
    steps, start = 0, time.perf_counter()
    while True:
        step()
        steps += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_time and steps >= 3:
            return batch * steps / elapsed, 1000 * elapsed / steps


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--min-time', type=float, default=3.0)
    parser.add_argument('--model', default=','.join(MODELS))
    parser.add_argument('--mode', choices=['train', 'infer', 'both'], default='both')
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    for name in args.model.split(','):
        make, image = MODELS[name]
        model = make()
        shape = (1, 28, 28) if image else (784,)
        x = torch.rand(64, *shape)
        y = torch.randint(0, 10, (64,))
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
            ips, ms = measure(train_step, 64, args.min_time)
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            print(json.dumps({'model': name, 'mode': 'train', 'backend': 'torch', 'batch': 64, 'imagesPerSecond': ips, 'msPerStep': ms, 'peakRssMb': rss}), flush=True)
        if args.mode == 'train':
            continue
        model.eval()
        xi = torch.rand(1024, *shape)

        def infer_step():
            with torch.no_grad():
                model(xi).argmax(1)

        ips, ms = measure(infer_step, 1024, args.min_time)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(json.dumps({'model': name, 'mode': 'infer', 'backend': 'torch', 'batch': 1024, 'imagesPerSecond': ips, 'msPerStep': ms, 'peakRssMb': rss}), flush=True)


if __name__ == '__main__':
    main()
