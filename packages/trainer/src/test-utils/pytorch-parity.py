# The PyTorch side of src/pytorch-parity.test.ts: reads the cases (JSON) from argv[1] and prints
# what torch.optim, torch.optim.lr_scheduler and torch.nn compute for them, as one JSON object.
import json
import sys
import warnings

import torch

warnings.filterwarnings('ignore')
torch.set_default_dtype(torch.float32)
cases = json.load(open(sys.argv[1]))


def num(x):
    return float('nan') if x == 'nan' else float(x)


def make_optimizer(params, spec):
    name, kwargs = spec
    cls = {'sgd': torch.optim.SGD, 'adam': torch.optim.Adam, 'adamw': torch.optim.AdamW, 'rmsprop': torch.optim.RMSprop}[name]
    if 'betas' in kwargs:
        kwargs = {**kwargs, 'betas': tuple(kwargs['betas'])}
    return cls(params, **kwargs)


def make_scheduler(opt, spec):
    name, kwargs = spec
    return getattr(torch.optim.lr_scheduler, name)(opt, **kwargs)


def momentum_of(group):
    return group['betas'][0] if 'betas' in group else group.get('momentum')


def schedule(case):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = make_optimizer([p], case['optimizer'])
    scheds = [make_scheduler(opt, s) for s in case['schedulers']]
    driver, epochs, steps = case['driver'], case['epochs'], case['stepsPerEpoch']
    lrs, moms = [], []
    for e in range(epochs):
        for b in range(steps):
            if driver == 'fractional':
                scheds[0].step(e + b / steps)
            lrs.append(opt.param_groups[0]['lr'])
            moms.append(momentum_of(opt.param_groups[0]))
            opt.step()
            if driver == 'step':
                for s in scheds:
                    s.step()
        if driver == 'epoch':
            for s in scheds:
                s.step()
        if driver == 'plateau':
            scheds[0].step(num(case['metrics'][e]))
    return {'lr': lrs, 'momentum': moms}


def trajectory(case):
    params = [torch.nn.Parameter(torch.tensor(w, dtype=torch.float32)) for w in case['init']]
    opt = make_optimizer(params, case['optimizer'])
    out = []
    for i, grads in enumerate(case['grads']):
        if 'lrs' in case:
            opt.param_groups[0]['lr'] = case['lrs'][i]
        if 'momenta' in case:
            g = opt.param_groups[0]
            if 'betas' in g:
                g['betas'] = (case['momenta'][i], g['betas'][1])
            else:
                g['momentum'] = case['momenta'][i]
        for p, g in zip(params, grads):
            p.grad = None if g is None else torch.tensor(g, dtype=torch.float32)
        opt.step()
        out.append([p.detach().flatten().tolist() for p in params])
    return out


def loss(case):
    logits = torch.tensor(case['logits'], dtype=torch.float32, requires_grad=True)
    targets = torch.tensor(case['targets'], dtype=torch.float32)
    if case['kind'] == 'softmax':
        value = torch.nn.CrossEntropyLoss(label_smoothing=case['labelSmoothing'])(logits, targets)
    else:
        value = torch.nn.BCEWithLogitsLoss()(logits, targets)
    value.backward()
    return {'loss': value.item(), 'grad': logits.grad.flatten().tolist()}


print(json.dumps({
    'schedules': {c['id']: schedule(c) for c in cases['schedules']},
    'optimizers': {c['id']: trajectory(c) for c in cases['optimizers']},
    'losses': {c['id']: loss(c) for c in cases['losses']},
    'torch': torch.__version__,
}))
